#!/usr/bin/env bash
# Installs playwright-core (pinned in package-lock.json) into tests/browser/node_modules with
# `npm ci`; it drives Debian's chromium (./setup.sh installs it) and downloads no browser of its
# own (PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1). Does nothing when node_modules was installed from
# this very lockfile. A lock file serialises concurrent runs.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
cd "$here"
die() { echo "tests/browser/install.sh: $*" >&2; exit 1; }
command -v node >/dev/null || die "node is missing (./setup.sh installs Debian's nodejs and npm)"
command -v npm >/dev/null || die "npm is missing (./setup.sh installs Debian's nodejs and npm)"
node -e 'process.exit(Number(process.versions.node.split(".")[0]) >= 18 ? 0 : 1)' ||
  die "playwright-core needs node 18 or later; this is $(node --version)"
exec 9>"$here/.install.lock"
flock -w 600 9 || die "another install held $here/.install.lock for 10 minutes"
stamp_file=node_modules/.drover-install-stamp
want=$({ cat package.json package-lock.json "$here/install.sh"; node --version; } | sha256sum | cut -d' ' -f1)
if [[ -f $stamp_file && $(cat "$stamp_file") == "$want" ]]; then
  echo "tests/browser/install.sh: node_modules is up to date"
  exit 0
fi
PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 timeout 600 npm ci --no-audit --no-fund --loglevel=error ||
  die "npm ci failed (is the npm registry reachable?)"
echo "$want" >"$stamp_file"
echo "tests/browser/install.sh: installed playwright-core $(node -p 'require("playwright-core/package.json").version')"
