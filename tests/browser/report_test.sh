#!/usr/bin/env bash
# ctest browser_report: report.html from two real `drover run`s and a real `drover conform`, each
# opened in headless Chromium by report_check.mjs (what it checks is at its top).
#   1. `drover run hostile_echo.lua` against `drover fake echo` for 4 s: the echo fake sends back
#      markup (a <script> and an "><img onerror=...>), which a failing check puts in the report;
#      its results over time must be charted (--expect-timeseries);
#   2. `drover conform wearable` against `drover fake wearable --fault no-ack` (short timers):
#      a case matrix with OK and FAILED cases;
#   3. `drover run scenarios/examples/echo.lua` (4 clients) for 6 s against `drover fake echo --fault slow-ack
#      --fault-after 3s` (answers 500 ms late from 3 s after the fake started, which is just
#      before the run): the echo_rtt chart over time must be drawn low before 3 s and high after
#      (--expect-rise);
#   4. the checker must fail on a copy of the first report with markup injected into it, and
#      --expect-rise must fail on the first report (no rise in it), so a checker that sees
#      nothing cannot pass the test.
# Screenshots (light, dark and print) and the reports are kept in ARTEFACT_DIR.
#   tests/browser/report_test.sh DROVER_BINARY ARTEFACT_DIR
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
drover=${1:?usage: report_test.sh DROVER_BINARY ARTEFACT_DIR}
artefacts=${2:?usage: report_test.sh DROVER_BINARY ARTEFACT_DIR}
fail() { echo "FAIL: $*" >&2; exit 1; }
[[ -x $drover ]] || fail "not an executable: $drover"
rm -rf -- "$artefacts"
mkdir -p "$artefacts"
work=$(mktemp -d "${TMPDIR:-/tmp}/drover-browser.XXXXXX")
# shellcheck source=../support/fakes.sh
source "$here/../support/fakes.sh"
cleanup() {
  stop_fakes
  rm -rf -- "$work"
}
trap cleanup EXIT


check() {  # check REPORT_DIR NAME [report_check.mjs options...]
  local dir=$1 name=$2
  shift 2
  timeout --kill-after=10 420 node "$here/report_check.mjs" "$dir" "$artefacts/$name" "$@"
}

script_marker='<script>window.__drover_pwned=1</script>'
attribute_marker='"><img src=x onerror=window.__drover_pwned=2>'

# 1. drover run: the hostile server text ends up in the checks table.
start_fake echo
set +e
timeout --kill-after=10 120 "$drover" run "$here/hostile_echo.lua" --target "ws://127.0.0.1:$port/" --quiet \
  --out "$artefacts/run" --env "HOSTILE=$script_marker $attribute_marker"
status=$?
set -e
# Exit 0 would mean the failing check was not recorded; 1 is "thresholds or checks failed".
[[ $status == 1 ]] || fail "drover run exited $status (expected 1: the check on the hostile answer fails)"
grep -qF 'onerror=window.__drover_pwned=2' "$artefacts/run/summary.json" ||
  fail "the server's answer (with the hostile text) is not in summary.json"
check "$artefacts/run" run --hostile "$script_marker" --hostile "$attribute_marker" --hostile-in '#checks' --expect-timeseries ||
  fail "report_check.mjs: the drover run report has the problems above (exit $?)"

# 2. drover conform: a matrix with failures.
start_fake wearable --threads 2 --heartbeat-interval 500 --identify-timeout 1000 --consumer-limit 2 --fault no-ack
set +e
timeout --kill-after=10 300 "$drover" conform wearable --target "ws://127.0.0.1:$port/" --quiet --out "$artefacts/conform" \
  --env IDENTIFY_TIMEOUT_MS=1000 --env RESPONSE_TIMEOUT_MS=1500
status=$?
set -e
[[ $status == 1 ]] || fail "drover conform exited $status against the no-ack fault (expected 1: cases FAILED)"
check "$artefacts/conform" conform || fail "report_check.mjs: the drover conform report has the problems above (exit $?)"

# 3. drover run: a slow-ack fault from 3 s shows as a rise in the chart of echo_rtt over time.
# The fake starts right before the run, so its 3 s are the run's 3 s less drover's start-up.
start_fake echo --fault slow-ack --fault-after 3s
# The example scenario a user starts with (scenarios/examples/echo.lua), 4 clients for 6 s: its
# echo_rtt.p99 < 250 threshold breaks once the answers are late, so exit 1 is expected.
set +e
timeout --kill-after=10 120 "$drover" run "$here/../../scenarios/examples/echo.lua" --target "ws://127.0.0.1:$port/" \
  --quiet --vus 4 --duration 6s --ramp-up 0s --env INTERVAL_MS=50 --interval 500ms --out "$artefacts/slow-ack"
status=$?
set -e
[[ $status == 1 ]] || fail "drover run echo.lua against the slow-ack fault exited $status (expected 1: its p99 threshold breaks)"
check "$artefacts/slow-ack" slow-ack --expect-timeseries --expect-rise echo_rtt:3000:450:250 ||
  fail "report_check.mjs: the slow-ack report has the problems above (exit $?)"

# 4. The checker sees injected markup, and a report without a rise.
mkdir -p "$work/tampered"
cp "$artefacts/run/summary.json" "$work/tampered/"
sed 's|</main>|<img src=x onerror="window.__drover_pwned=3"></main>|' "$artefacts/run/report.html" >"$work/tampered/report.html"
grep -qF '__drover_pwned=3' "$work/tampered/report.html" || fail "could not tamper with the report (no </main>)"
if check "$work/tampered" tampered >"$work/tampered.log" 2>&1; then
  cat "$work/tampered.log"
  fail "report_check.mjs passed a report with injected markup"
fi
grep -q 'hostile text ran as script' "$work/tampered.log" || { cat "$work/tampered.log"; fail "report_check.mjs failed the tampered report for another reason"; }
rm -f "$artefacts"/tampered-*.png
# The first run (intervals of 1 s) has no rise: from 2 s on its echo_rtt stays low.
if check "$artefacts/run" no-rise --expect-rise echo_rtt:1500:450:250 >"$work/no-rise.log" 2>&1; then
  cat "$work/no-rise.log"
  fail "report_check.mjs --expect-rise passed a report without a latency rise"
fi
grep -q 'after the fault (want at least 450)' "$work/no-rise.log" ||
  { cat "$work/no-rise.log"; fail "report_check.mjs --expect-rise failed the report without a rise for another reason"; }
rm -f "$artefacts"/no-rise-*.png
echo "browser_report: the three reports pass in Chromium; screenshots and reports in $artefacts"
