#!/usr/bin/env bash
# The conformance matrix and the integration tests on a busy machine: two CPU-bound loops keep
# both cores loaded while ctest runs the `conformance` and `integration` labels of an existing
# build. Exits non-zero when any test fails (or the build dir has no tests).
#
#   tests/busy.sh [BUILD_DIR] [extra ctest args...]    # BUILD_DIR defaults to build
#
# It does not build: build first (./test.sh, or cmake --build BUILD_DIR).
set -u
cd "$(dirname "$0")/.."
build_dir=${1:-build}
shift || true
[ -f "$build_dir/CTestTestfile.cmake" ] || { echo "busy.sh: no tests in $build_dir (build first)" >&2; exit 2; }

hogs=()
stop_hogs() {
  # Only the loops this script started, by pid.
  for pid in "${hogs[@]}"; do kill "$pid" 2>/dev/null; done
  for pid in "${hogs[@]}"; do wait "$pid" 2>/dev/null; done
  hogs=()
}
trap stop_hogs EXIT INT TERM

for _ in 1 2; do
  nice -n 0 sh -c 'while :; do :; done' &
  hogs+=("$!")
done
echo "busy.sh: loading both cores (pids ${hogs[*]}), running the conformance and integration labels"

start=$(date +%s)
ctest --test-dir "$build_dir" --output-on-failure -j 2 --timeout 900 -L 'conformance|integration' "$@"
status=$?
stop_hogs
echo "busy.sh: ctest exited $status after $(( $(date +%s) - start )) s under load"
exit "$status"
