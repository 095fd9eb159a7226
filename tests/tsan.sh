#!/usr/bin/env bash
# ThreadSanitizer run of the threaded parts: the runner (controller <-> worker snapshots,
# interrupts, workers), the transport (client against the in-process server thread), the
# scenario engine, and the real binary with its fake servers (integration label: fake server
# threads, Ctrl-C handling, progress snapshots). Any data race fails the run: TSan makes the
# drover binary exit 66, which the integration tests see as a wrong exit code.
# Usage: tests/tsan.sh  (from anywhere; installs what it needs via setup.sh)
set -euo pipefail
cd "$(dirname "$0")/.."
./setup.sh
jobs=$(nproc)
cmake -S . -B build-tsan -G Ninja -DCMAKE_BUILD_TYPE=Debug -DCMAKE_CXX_FLAGS_DEBUG="-O1 -g1" \
  -DDROVER_TSAN=ON -DDROVER_BENCHMARKS=OFF >/dev/null
cmake --build build-tsan -j "$jobs"
export TSAN_OPTIONS="halt_on_error=1 exitcode=66 second_deadlock_stack=1"
ctest --test-dir build-tsan --output-on-failure -j "$jobs" --timeout 900 -L 'unit|integration'
