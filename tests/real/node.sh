#!/usr/bin/env bash
# The node every tests/real script runs: tests/real/.node/bin/node when install.sh put one
# there (the machine's node was older than the 20.19 that @redux-devtools/remote needs), else
# the machine's own.
here=$(cd "$(dirname "$0")" && pwd)
[[ -x $here/.node/bin/node ]] && exec "$here/.node/bin/node" "$@"
exec node "$@"
