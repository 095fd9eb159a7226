#!/usr/bin/env bash
# Installs hdr-histogram-js (pinned in package-lock.json) into tests/hlog/node_modules with
# `npm ci` (tests/support/npm_ci.sh): the independent HdrHistogram decoder of the --hlog tests.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
"$here/../support/npm_ci.sh" "$here"
echo "tests/hlog/install.sh: hdr-histogram-js $(cd "$here" && node -p 'require("hdr-histogram-js/package.json").version')"
