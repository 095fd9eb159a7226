#!/usr/bin/env bash
# Installs Artillery (the benchmark's third generator) into tests/bench/load/node_modules with
# `npm ci` from the committed package-lock.json: the version is pinned and the tree is the one
# the lockfile names. Artillery 2.0.21 runs on node >= 18.16.1 (later 2.0.x need node 22).
# PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD: Artillery depends on Playwright for its browser engine, which
# the benchmark does not use; without it npm would download browsers (hundreds of MB).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
die() { echo "tests/bench/load/install.sh: $*" >&2; exit 1; }
command -v node >/dev/null || die "node is missing (./setup.sh installs Debian's nodejs and npm)"
command -v npm >/dev/null || die "npm is missing"
node -e 'const [a, b] = process.versions.node.split(".").map(Number); process.exit(a > 18 || (a === 18 && b >= 17) ? 0 : 1)' ||
  die "node $(node --version) is older than 18.17 (Artillery 2.0.21 needs 18.16.1 or later)"
stamp=$here/node_modules/.drover-lock-sha
want=$(sha256sum "$here/package-lock.json" | cut -d' ' -f1)
if [[ -x $here/node_modules/.bin/artillery && -f $stamp && $(cat "$stamp") == "$want" ]]; then
  exit 0  # installed from this very lockfile
fi
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 ELECTRON_SKIP_BINARY_DOWNLOAD=1
export npm_config_update_notifier=false npm_config_fund=false npm_config_audit=false
cd "$here"
timeout 1200 npm ci --no-audit --no-fund --loglevel=warn || die "npm ci failed"
[[ -x $here/node_modules/.bin/artillery ]] || die "npm ci succeeded but node_modules/.bin/artillery is missing"
echo "$want" >"$stamp"
echo "tests/bench/load/install.sh: $("$here/node_modules/.bin/artillery" version 2>/dev/null | grep -i 'artillery' | head -1)"
