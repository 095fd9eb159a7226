#!/usr/bin/env bash
# Installs playwright-core (pinned in package-lock.json) into tests/browser/node_modules with
# `npm ci` (tests/support/npm_ci.sh); it drives Debian's chromium (./setup.sh installs it) and
# downloads no browser of its own (PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
command -v node >/dev/null && ! node -e 'process.exit(Number(process.versions.node.split(".")[0]) >= 18 ? 0 : 1)' && {
  echo "tests/browser/install.sh: playwright-core needs node 18 or later; this is $(node --version)" >&2
  exit 1
}
PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 "$here/../support/npm_ci.sh" "$here"
echo "tests/browser/install.sh: playwright-core $(cd "$here" && node -p 'require("playwright-core/package.json").version')"
