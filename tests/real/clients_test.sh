#!/usr/bin/env bash
# ctest real_clients_{real,fake}_v1|v2: runs the real client library of a protocol version
# (clients_v1.cjs: remotedev@0.2.9; clients_v2.mjs: @redux-devtools/remote@1.0.0) against
#   real  the real server of that version (start-server.sh), to prove the script itself right;
#   fake  drover's fake (`DROVER fake remotedev --port 0 --protocol vN`).
# Passes when the script exits 0 and its summary lists every relay this test is about.
#   tests/real/clients_test.sh v1|v2 real|fake [DROVER_BINARY]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
version=${1:?usage: clients_test.sh v1|v2 real|fake [DROVER_BINARY]}
against=${2:?usage: clients_test.sh v1|v2 real|fake [DROVER_BINARY]}
drover=${3:-}
fail() { echo "FAIL: $*" >&2; exit 1; }
trap 'echo "FAIL: unexpected error at line $LINENO: $BASH_COMMAND" >&2' ERR

case $version in
  v1) script=("$here/node.sh" "$here/clients_v1.cjs")
      required=('monitor: login "monitor" answers channel "log"'
                'log-noid: the wrapper is exactly {id: sender socket id, data: original}'
                'log-noid: INIT arrives unchanged inside the wrapper'
                'log: ACTION arrives unchanged (payload, action, id, instanceId, name)'
                'log: STATE arrives unchanged'
                'app: START arrives unchanged' 'app: DISPATCH arrives unchanged' 'app: ACTION arrives unchanged'
                'app: IMPORT arrives unchanged' 'app: SYNC arrives unchanged' 'app: STOP arrives unchanged'
                'app: the six messages arrive once each, in order'
                'log: DISCONNECTED is exactly {id: app socket id, type}') ;;
  v2) script=("$here/node.sh" "$here/clients_v2.mjs")
      required=('monitor: login "monitor" answers channel "log"'
                'log: START arrives unchanged ({type, id, name, instanceId})'
                'log: STATE arrives unchanged (id, name, instanceId, payload = the lifted state)'
                'log: ACTION arrives unchanged (payload, action, nextActionId, id, instanceId)'
                'app: ACTION from the monitor dispatched (counter 1 + 5)'
                'app: DISPATCH JUMP_TO_STATE from the monitor applied (counter back to 0)'
                'app: IMPORT from the monitor applied (counter 42)'
                'app: SYNC from another socket applied (counter 7)'
                'log: STOP arrives unchanged'
                'log: DISCONNECTED is exactly {id: app socket id, type}') ;;
  *) fail "unknown version $version" ;;
esac

work=$(mktemp -d "${TMPDIR:-/tmp}/drover-real-clients.XXXXXX")
server_state=
fake_pgid=
cleanup() {
  [[ -n $server_state ]] && "$here/stop-server.sh" "$server_state" || true
  if [[ -n $fake_pgid ]]; then
    kill -TERM -- "-$fake_pgid" 2>/dev/null || true
    for ((i = 0; i < 100 && $(pgrep -g "$fake_pgid" | wc -l) > 0; i++)); do sleep 0.05; done
    kill -KILL -- "-$fake_pgid" 2>/dev/null || true
  fi
  rm -rf -- "$work"
}
trap cleanup EXIT

case $against in
  real)
    out=$("$here/start-server.sh" "$version" --lifetime 120)
    echo "$out"
    server_state=$(sed -n 's/^state //p' <<<"$out")
    port=$(sed -n 's/^listening on 127\.0\.0\.1:\([0-9]*\)$/\1/p' <<<"$out") ;;
  fake)
    [[ -x $drover ]] || fail "fake: pass the drover binary (got '$drover')"
    # Its own process group, stopped by id below; timeout bounds it if this script is killed.
    # The files exist before the fake starts: the started process opens them itself, later.
    : >"$work/fake.out"; : >"$work/fake.err"
    setsid timeout --kill-after=5 120 "$drover" fake remotedev --port 0 --protocol "$version" \
      >"$work/fake.out" 2>"$work/fake.err" </dev/null &
    fake_pgid=$!
    port=
    for ((i = 0; i < 600; i++)); do   # 30 s
      port=$(sed -n 's/.*listening on 127\.0\.0\.1:\([0-9]*\).*/\1/p' "$work/fake.out" | head -n1)
      [[ -n $port ]] && break
      # The started process, not its group: the group exists only once setsid has run.
      [[ -e /proc/$fake_pgid && $(sed 's/.*) //' "/proc/$fake_pgid/stat" 2>/dev/null | cut -d' ' -f1) != Z ]] || break
      sleep 0.05
    done
    [[ -n $port ]] || { cat "$work/fake.out" "$work/fake.err" >&2; fail "the fake did not print 'listening on 127.0.0.1:PORT' within 30 s"; }
    echo "drover fake remotedev --protocol $version: listening on 127.0.0.1:$port" ;;
  *) fail "unknown target kind $against (real|fake)" ;;
esac
[[ -n $port ]] || fail "no port"

set +e
"${script[@]}" --port "$port" --timeout-ms 40000 --verbose | tee "$work/script.out"
status=${PIPESTATUS[0]}
set -e
if [[ $against == fake ]]; then
  echo "--- fake stderr:"; cat "$work/fake.err"
fi
((status == 0)) || fail "the $version client script exited $status against the $against server"
summary=$(grep '^{"result"' "$work/script.out" | tail -n1)
[[ -n $summary ]] || fail "no JSON summary from the client script"
"$here/node.sh" -e '
  const summary = JSON.parse(process.argv[1]);
  const required = process.argv.slice(2);
  const missing = required.filter((name) => !summary.passed.includes(name));
  if (summary.result !== "pass" || summary.failed.length || missing.length) {
    console.error(`FAIL: result ${summary.result}, failed ${JSON.stringify(summary.failed)}, not passed ${JSON.stringify(missing)}`);
    process.exit(1);
  }
  console.log(`PASS: ${summary.passed.length} checks, the ${required.length} relays this test is about among them`);
' "$summary" "${required[@]}"
