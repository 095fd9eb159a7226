#!/usr/bin/env bash
# Starts a real RemoteDev server from tests/real/node_modules on a free loopback port and
# returns once it accepts connections, leaving it running in its own process group:
#   v1  remotedev-server@0.3.1     (SocketCluster 14, protocol v1)
#   v2  @redux-devtools/cli@5.0.0  (socketcluster-server 20, protocol v2)
#
#   tests/real/start-server.sh v1|v2 [--lifetime SECONDS] [--state-dir DIR]
#
# Prints, then exits 0:
#   listening on 127.0.0.1:PORT
#   pgid PGID
#   state DIR
# The WebSocket endpoint is ws://127.0.0.1:PORT/socketcluster/. Stop the server with
# `tests/real/stop-server.sh DIR` (kills the whole process group, waits, removes DIR), or
# `kill -- -PGID`. Every listener of every process of the server is confined to 127.0.0.1 by
# the loopback.cjs preload (NODE_OPTIONS, inherited by the processes SocketCluster forks).
# --lifetime: the server's group is killed after that many seconds whatever happens (a test
# that dies leaves no server behind); default: runs until stopped.
# DIR holds server.log (stdout and stderr), port, pgid, and tmp/ (the server's TMPDIR:
# SocketCluster 14 puts its broker's Unix socket there). Both servers keep their report store
# in an in-memory SQLite database: they write no other file.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
die() { echo "start-server.sh: $*" >&2; exit 2; }

version=${1:-}
shift || true
lifetime=0
state=
while (($#)); do
  case $1 in
    --lifetime) lifetime=${2:?--lifetime needs seconds}; shift 2 ;;
    --state-dir) state=${2:?--state-dir needs a directory}; shift 2 ;;
    *) die "unknown argument: $1" ;;
  esac
done
# started: the line each server logs once its port check is done. Both first probe the port
# (the getport / get-port packages listen on it and close again), then log this line, then
# listen for real: a listener seen before the line may be the probe, about to go away.
case $version in
  v1) server_js=$here/node_modules/remotedev-server/bin/remotedev.js; started='[RemoteDev] Start server' ;;
  v2) server_js=$here/node_modules/@redux-devtools/cli/bin/redux-devtools.js; started='[ReduxDevTools] Start server' ;;
  *) die "usage: start-server.sh v1|v2 [--lifetime SECONDS] [--state-dir DIR]" ;;
esac
[[ -f $server_js && -f $here/node_modules/.drover-install-stamp ]] ||
  die "the real servers are not installed: run tests/real/install.sh"
[[ $lifetime =~ ^[0-9]+$ ]] || die "--lifetime takes whole seconds"

created_state=0
if [[ -z $state ]]; then
  state=$(mktemp -d "${TMPDIR:-/tmp}/drover-real-$version.XXXXXX")
  created_state=1
else
  mkdir -p "$state"
fi
mkdir -p "$state/tmp"
echo "drover real server $version" >"$state/marker"

free_port() {
  "$here/node.sh" -e '
    const s = require("net").createServer();
    s.listen(0, "127.0.0.1", () => { console.log(s.address().port); s.close(); });'
}

# pids of the live processes of process group $1, one per line (none when the group is gone).
group_pids() { pgrep -g "$1" || true; }

# Whether process $1 runs (exists and is not a zombie). The started process exists from the
# fork on, while its process group exists only once setsid has run: a group that is not there
# yet must not read as a server that died.
alive() {
  local stat
  stat=$(cat "/proc/$1/stat" 2>/dev/null) || return 1
  stat=${stat##*) }
  [[ ${stat%% *} != Z ]]
}

# A failed start leaves nothing behind: no process, and no state directory made here.
give_up() {
  echo "start-server.sh: $1" >&2
  sed 's/^/  /' "$state/server.log" >&2
  ((created_state)) && rm -rf -- "$state"
  exit 1
}

# Whether one of process group $1's processes listens on 127.0.0.1:$2 (ss: iproute2).
group_listens_on() {
  local pgid=$1 port=$2 pids
  pids=$(group_pids "$pgid" | paste -sd'|')
  [[ -n $pids ]] || return 1
  ss -Hltnp "sport = :$port" 2>/dev/null | grep -E "^LISTEN +[0-9]+ +[0-9]+ +127\.0\.0\.1:$port " |
    grep -qE "pid=($pids),"
}

# A port found free can be taken before the server binds it; both servers then log that the
# port is used and stop: try another port, a bounded number of times.
for attempt in 1 2 3 4 5; do
  port=$(free_port)
  : >"$state/server.log"
  cmd=("$here/node.sh" "$server_js" "--port=$port")
  [[ $version == v1 ]] && cmd+=("--hostname=127.0.0.1")
  ((lifetime > 0)) && cmd=(timeout --kill-after=5 "$lifetime" "${cmd[@]}")
  # setsid: a new session and process group led by the started process (the shell runs it
  # without job control, so setsid does not fork and $! is the group's id).
  TMPDIR=$state/tmp NODE_OPTIONS="--require=$here/loopback.cjs" \
    setsid "${cmd[@]}" >"$state/server.log" 2>&1 </dev/null &
  pgid=$!
  echo "$pgid" >"$state/pgid"
  # Generous: the v1 server forks three node processes; the machine may be busy.
  ready=0
  for ((i = 0; i < 1200; i++)); do   # at most 60 s
    if grep -qF "$started" "$state/server.log" && group_listens_on "$pgid" "$port"; then ready=1; break; fi
    alive "$pgid" || break
    sleep 0.05
  done
  if ((ready)); then
    echo "$port" >"$state/port"
    echo "listening on 127.0.0.1:$port"
    echo "pgid $pgid"
    echo "state $state"
    exit 0
  fi
  gone_early=0
  alive "$pgid" || gone_early=1
  kill -KILL -- "-$pgid" 2>/dev/null || true
  for ((i = 0; i < 100 && $(group_pids "$pgid" | wc -l) > 0; i++)); do sleep 0.05; done
  wait "$pgid" 2>/dev/null || true
  if ! grep -q "already used" "$state/server.log"; then
    ((gone_early)) && give_up "the $version server exited before it listened; its log:"
    give_up "the $version server did not listen on 127.0.0.1:$port within 60 s; its log:"
  fi
done
give_up "port after port was taken before the $version server bound it (5 tries); the last log:"
