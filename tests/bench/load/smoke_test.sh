#!/usr/bin/env bash
# CTest bench_load_smoke: run.sh --quick with the floor and drover (lean, typical and validating),
# not Artillery (it needs npm and a minute to start). Passes when run.sh succeeded and its table
# has a row for every workload x generator, each with exit 0 and messages served. A smoke check
# of the script and the executables, never a measurement (ctest runs it beside other tests).
#   smoke_test.sh DROVER ACK_SERVER FLOOR_CLIENT
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
[[ $# -eq 3 ]] || { echo "usage: smoke_test.sh DROVER ACK_SERVER FLOOR_CLIENT" >&2; exit 2; }
out=$(mktemp "${TMPDIR:-/tmp}/bench-load-smoke.XXXXXX.md")
trap 'rm -f -- "$out"' EXIT
rc=0
DROVER=$1 ACK_SERVER=$2 FLOOR_CLIENT=$3 timeout --kill-after=5 75 \
  "$here/run.sh" --quick --tools floor,drover-lean,drover-typical,drover-validating --out "$out" || rc=$?
cat "$out" 2>/dev/null || true
(( rc == 0 )) || { echo "bench_load_smoke: run.sh --quick failed (exit $rc)" >&2; exit 1; }
fail=0
for w in a b c d; do
  for tool in floor drover-lean drover-typical drover-validating; do
    row=$(grep -E "^\| $w \| $tool \|" "$out" || true)
    if [[ -z $row ]]; then echo "bench_load_smoke: no row for $w/$tool" >&2; fail=1; continue; fi
    # Columns: workload, generator, exit, messages, ...
    exit_code=$(awk -F'|' '{ gsub(/ /, "", $4); print $4 }' <<<"$row")
    messages=$(awk -F'|' '{ gsub(/ /, "", $5); print $5 }' <<<"$row")
    if [[ $exit_code != 0 || ! $messages =~ ^[0-9]+$ || $messages -eq 0 ]]; then
      echo "bench_load_smoke: $w/$tool: exit $exit_code, $messages messages" >&2
      fail=1
    fi
    # The validating generator must have validated its messages, every one valid.
    if [[ $tool == drover-validating && ! $row =~ [1-9][0-9]*\ validated,\ 0\ invalid ]]; then
      echo "bench_load_smoke: $w/$tool validated nothing or found invalid messages: $row" >&2
      fail=1
    fi
  done
done
grep -q '^ratios to the floor' "$out" || { echo "bench_load_smoke: no ratio summary" >&2; fail=1; }
exit "$fail"
