#!/usr/bin/env bash
# Stops a server started by tests/real/start-server.sh: SIGTERM to its whole process group,
# SIGKILL to whatever is left after 10 s, waits until no process of the group remains, then
# removes its state directory. Exit 0 when the group is gone, 1 otherwise.
#   tests/real/stop-server.sh STATE_DIR [--keep]     (--keep: leave STATE_DIR, e.g. to read server.log)
set -euo pipefail
state=${1:?usage: stop-server.sh STATE_DIR [--keep]}
keep=${2:-}
[[ -f $state/marker && -f $state/pgid ]] || { echo "stop-server.sh: $state is not a start-server.sh state directory" >&2; exit 2; }
pgid=$(cat "$state/pgid")
[[ $pgid =~ ^[0-9]+$ ]] || { echo "stop-server.sh: bad pgid in $state/pgid" >&2; exit 2; }

alive() { pgrep -g "$pgid" >/dev/null; }
kill -TERM -- "-$pgid" 2>/dev/null || true
for ((i = 0; i < 200 && $(pgrep -g "$pgid" | wc -l) > 0; i++)); do sleep 0.05; done   # 10 s
if alive; then
  kill -KILL -- "-$pgid" 2>/dev/null || true
  for ((i = 0; i < 100 && $(pgrep -g "$pgid" | wc -l) > 0; i++)); do sleep 0.05; done
fi
if alive; then
  echo "stop-server.sh: process group $pgid still has processes: $(pgrep -g "$pgid" | paste -sd' ')" >&2
  exit 1
fi
[[ $keep == --keep ]] || rm -rf -- "$state"
