#!/usr/bin/env bash
# Sets up, builds and runs every test:
#   1. the release build: unit, integration, schemas, real (the npm RemoteDev servers and
#      clients) and the benchmark smoke — the tests whose memory and latency limits only mean
#      something at full speed;
#   2. one sanitizer build (clang: address + undefined, with libFuzzer's coverage
#      instrumentation): the unit, integration and conformance tests (drover conform and the
#      suite x fault matrices) with leak detection on in every process (the drover binary and
#      the fakes too), then the libFuzzer smoke run from the same build.
# The conformance label runs once, under the sanitizers. The ThreadSanitizer run is
# tests/tsan.sh (README: "Tests").
set -euo pipefail
cd "$(dirname "$0")"
started=$(date +%s)
./setup.sh
jobs=$(nproc)
stamp() { echo "test.sh: $1 at $(( ($(date +%s) - started) / 60 )) min $(( ($(date +%s) - started) % 60 )) s"; }

cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build -j "$jobs"
stamp "release build done"
# The real RemoteDev servers and clients for the tests labelled real (npm ci from
# tests/real/package-lock.json; nothing to do when node_modules already matches it).
tests/real/install.sh
ctest --test-dir build --output-on-failure -j "$jobs" --timeout 600 -LE conformance
stamp "release tests passed"

# One build for every sanitizer-run test and the fuzz targets: clang compiles it (libFuzzer is
# clang's), -O1 -g1 keeps the sanitizers effective and stack traces at file:line.
CC=clang CXX=clang++ cmake -S . -B build-sanitize -G Ninja -DCMAKE_BUILD_TYPE=Debug -DCMAKE_CXX_FLAGS_DEBUG="-O1 -g1" \
  -DDROVER_SANITIZE=ON -DDROVER_FUZZ=ON -DDROVER_BENCHMARKS=OFF >/dev/null
cmake --build build-sanitize -j "$jobs"
stamp "sanitizer build done"
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
# A leak in any process (a test, the drover binary it runs, a fake) makes that process fail.
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1
ctest --test-dir build-sanitize --output-on-failure -j "$jobs" --timeout 900 -L 'unit|integration|conformance'
stamp "sanitizer tests passed"

# Fuzz smoke: every committed seed replays clean, then 20 s per target.
DROVER_FUZZ_BUILD="$PWD/build-sanitize" tests/fuzz/run.sh --seconds 20

stamp "everything passed"
