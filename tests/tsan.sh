#!/usr/bin/env bash
# ThreadSanitizer run of the threaded parts: the runner (controller <-> worker snapshots,
# interrupts, workers), the transport (client against the in-process server thread), the
# scenario engine, and the real binary with its fake servers (integration label: fake server
# threads, Ctrl-C handling, progress snapshots; conformance label: drover conform and the suite
# x fault matrices against the fakes as processes, about 4 minutes of the run). Any data race
# fails the run: TSan makes the drover binary and the fakes exit 66, which the tests see as a
# wrong exit code, and a test process itself dies with 66.
# Usage: tests/tsan.sh  (from anywhere; installs what it needs via setup.sh)
set -euo pipefail
cd "$(dirname "$0")/.."
./setup.sh
jobs=$(nproc)
cmake -S . -B build-tsan -G Ninja -DCMAKE_BUILD_TYPE=Debug -DCMAKE_CXX_FLAGS_DEBUG="-O1 -g1" \
  -DDROVER_TSAN=ON -DDROVER_BENCHMARKS=OFF >/dev/null
cmake --build build-tsan -j "$jobs"
# Every process writes its reports to build-tsan/tsan-reports/tsan.PID, not to its stderr: a
# test sees a race only through the exit code, and no test checks the exit code of a fake it
# stops with SIGTERM, nor reads every child's stderr. Any report there fails the run.
reports=$PWD/build-tsan/tsan-reports
rm -rf "$reports" && mkdir -p "$reports"
export TSAN_OPTIONS="halt_on_error=1 exitcode=66 second_deadlock_stack=1 log_path=$reports/tsan"
status=0
ctest --test-dir build-tsan --output-on-failure -j "$jobs" --timeout 900 -L 'unit|integration|conformance' || status=$?
if compgen -G "$reports/tsan.*" >/dev/null; then
  echo "tests/tsan.sh: ThreadSanitizer wrote reports ($reports):" >&2
  cat "$reports"/tsan.* >&2
  ((status)) || status=1
fi
exit "$status"
