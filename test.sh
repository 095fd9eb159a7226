#!/usr/bin/env bash
# Sets up, builds and runs every test: the release build (unit, integration, conformance,
# benchmark smoke), then the unit, integration and conformance tests again under
# address+undefined sanitizers with leak detection on (the drover binary and the fakes too),
# then the libFuzzer smoke run.
# The ThreadSanitizer run is tests/tsan.sh (README: "Tests").
set -euo pipefail
cd "$(dirname "$0")"
started=$(date +%s)
./setup.sh
jobs=$(nproc)

cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build -j "$jobs"
# The real RemoteDev servers and clients for the tests labelled real (npm ci from
# tests/real/package-lock.json; nothing to do when node_modules already matches it).
tests/real/install.sh
ctest --test-dir build --output-on-failure -j "$jobs" --timeout 600

# -O1 -g1: sanitizers stay effective and stack traces keep file:line, at a fraction of -O0 -g's build time.
cmake -S . -B build-asan -G Ninja -DCMAKE_BUILD_TYPE=Debug -DCMAKE_CXX_FLAGS_DEBUG="-O1 -g1" \
  -DDROVER_SANITIZE=ON -DDROVER_BENCHMARKS=OFF >/dev/null
cmake --build build-asan -j "$jobs"
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
# A leak in any process (a test, the drover binary it runs, a fake) makes that process fail.
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1
ctest --test-dir build-asan --output-on-failure -j "$jobs" --timeout 900 -L 'unit|integration|conformance'

# Fuzz smoke (clang, build-fuzz/): every committed seed replays clean, then 20 s per target.
tests/fuzz/run.sh --seconds 20

echo "test.sh: everything passed in $(( ($(date +%s) - started) / 60 )) min $(( ($(date +%s) - started) % 60 )) s"
