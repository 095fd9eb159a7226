#!/usr/bin/env bash
# The shared body of the tests' npm installs (tests/browser, tests/hlog, tests/junit): `npm ci`
# from the folder's committed package-lock.json, skipped when node_modules was installed from
# this very lockfile, install script and node. A lock file serialises concurrent runs (ctest
# fixtures of several test programs may start it at once).
#   tests/support/npm_ci.sh DIR [NPM_CI_ARG...]      (environment passes through to npm)
set -euo pipefail
dir=$(cd "${1:?usage: npm_ci.sh DIR [NPM_CI_ARG...]}" && pwd)
shift
name=tests/$(basename "$dir")/install.sh
die() { echo "$name: $*" >&2; exit 1; }
command -v node >/dev/null || die "node is missing (./setup.sh installs Debian's nodejs and npm)"
command -v npm >/dev/null || die "npm is missing (./setup.sh installs Debian's nodejs and npm)"
cd "$dir"
exec 9>"$dir/.install.lock"
flock -w 600 9 || die "another install held $dir/.install.lock for 10 minutes"
stamp_file=node_modules/.drover-install-stamp
want=$({ cat package.json package-lock.json "$dir/install.sh" "${BASH_SOURCE[0]}"; node --version; echo "$*"; } |
  sha256sum | cut -d' ' -f1)
if [[ -f $stamp_file && $(cat "$stamp_file") == "$want" ]]; then
  echo "$name: node_modules is up to date"
  exit 0
fi
timeout 600 npm ci --no-audit --no-fund --loglevel=error "$@" || die "npm ci failed (is the npm registry reachable?)"
echo "$want" >"$stamp_file"
