#!/usr/bin/env bash
# Installs the real RemoteDev servers and client libraries into tests/real/node_modules with
# `npm ci` from the committed package-lock.json (tests/real/README.md says what and why).
# Idempotent: does nothing when node_modules was installed from this very lockfile by this
# very node. Safe to run concurrently (a lock file serialises runs).
#   ELECTRON_SKIP_BINARY_DOWNLOAD=1   @redux-devtools/cli depends on electron, whose postinstall
#                                     downloads a browser build; the server never starts it.
#   PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 same for any playwright in the tree.
#   npm_config_build_from_source=true sqlite3 (a native dependency of both servers) would try
#                                     to download a prebuilt binary; it is compiled from its
#                                     bundled SQLite source with node-gyp against the headers of
#                                     the node that runs it (npm_config_nodedir).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
cd "$here"

die() { echo "tests/real/install.sh: $*" >&2; exit 1; }
command -v node >/dev/null || die "node is missing (./setup.sh installs Debian's nodejs and npm)"
command -v npm >/dev/null || die "npm is missing (./setup.sh installs Debian's nodejs and npm)"

node_version=$(node -p 'process.versions.node')

# Node's C headers for node-gyp: beside the node binary (nodesource, official tarballs:
# PREFIX/include/node), Debian's libnode-dev (/usr/include/node), or an older layout
# (/usr/include/nodejs) that node-gyp only finds as NODEDIR/include/node.
find_nodedir() {
  local prefix
  prefix=$(dirname "$(dirname "$(readlink -f "$(command -v node)")")")
  for dir in "$prefix" /usr; do
    if [[ -f $dir/include/node/node.h && -f $dir/include/node/common.gypi ]]; then
      echo "$dir"; return 0
    fi
  done
  if [[ -f /usr/include/nodejs/node.h && -f /usr/include/nodejs/common.gypi ]]; then
    local shim=$here/.nodedir
    mkdir -p "$shim/include"
    ln -sfn /usr/include/nodejs "$shim/include/node"
    echo "$shim"; return 0
  fi
  return 1
}

stamp_file=node_modules/.drover-install-stamp
stamp() {
  { cat package.json package-lock.json .npmrc "$0"; echo "node $node_version"; } | sha256sum | cut -d' ' -f1
}

exec 9>"$here/.install.lock"
flock -w 1200 9 || die "another install held $here/.install.lock for 20 minutes"

want=$(stamp)
if [[ -f $stamp_file && $(cat "$stamp_file") == "$want" ]]; then
  echo "tests/real/install.sh: node_modules is up to date (node $node_version)"
  exit 0
fi

nodedir=$(find_nodedir) || die "no Node.js headers found for node-gyp (node $node_version): install Debian's libnode-dev, or the headers of your node under PREFIX/include/node"
header_major=$(sed -n 's/^#define NODE_MAJOR_VERSION \([0-9]*\).*/\1/p' "$nodedir/include/node/node_version.h")
[[ $header_major == "${node_version%%.*}" ]] ||
  die "the headers in $nodedir/include/node are for node $header_major, but node is $node_version"

echo "tests/real/install.sh: npm ci (node $node_version, npm $(npm --version), headers $nodedir/include/node)"
started=$(date +%s)
log=$here/.install.log
export ELECTRON_SKIP_BINARY_DOWNLOAD=1 PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
export npm_config_build_from_source=true npm_config_nodedir=$nodedir JOBS=$(nproc)
export npm_config_update_notifier=false npm_config_fund=false npm_config_audit=false
if ! timeout 1200 npm ci --no-audit --no-fund --loglevel=warn >"$log" 2>&1; then
  tail -n 60 "$log" >&2
  die "npm ci failed (full log: $log)"
fi

# Both servers keep their report store in an in-memory SQLite database: prove each one's
# native sqlite3 build loads into this node.
for dir in node_modules/remotedev-server node_modules/@redux-devtools/cli; do
  (cd "$dir" && node -e '
    const sqlite3 = require("sqlite3");
    new sqlite3.Database(":memory:").get("select sqlite_version() as v", (err, row) => {
      if (err) { console.error(err); process.exit(1); }
      console.log(`  ${process.argv[1]}: sqlite3 ${require("sqlite3/package.json").version}, SQLite ${row.v}`);
    });' "$dir") || die "sqlite3 does not load in $dir (log: $log)"
done

echo "$want" >"$stamp_file"
echo "tests/real/install.sh: installed in $(($(date +%s) - started)) s"
