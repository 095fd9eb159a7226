#!/usr/bin/env bash
# Sets up, builds drover, starts the echo fake on a free port, runs the echo scenario against it
# (200 clients, 15 s), prints the summary and writes the report to ./drover-results/.
set -euo pipefail
cd "$(dirname "$0")"
./setup.sh
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build -j "$(nproc)" --target drover

fifo=$(mktemp -u); mkfifo "$fifo"
./build/drover fake echo --port 0 >"$fifo" &
fake_pid=$!
trap 'kill $fake_pid 2>/dev/null || true; rm -f "$fifo"' EXIT
read -r line <"$fifo"            # "listening on 127.0.0.1:PORT"
port=${line##*:}
echo "demo: echo fake (pid $fake_pid) $line"

status=0
./build/drover run scenarios/examples/echo.lua --target "ws://127.0.0.1:$port/" \
  --vus "${DEMO_VUS:-200}" --duration "${DEMO_DURATION:-15s}" --ramp-up 3s --out drover-results || status=$?
echo "demo: report at $(pwd)/drover-results/report.html (exit code $status)"
exit $status
