#!/usr/bin/env bash
# The scale goals of the load benchmark (RESULTS.md, "Scale"), beside run.sh's side-by-side
# table: what drover's memory and CPU do as sessions grow, over a long churn, and as shards.
#   1. linear: drover-lean holding N sessions (one message every 5 s) for N = 1k, 5k, 10k, 19k
#      against one bench_ack_server: peak RSS, RSS per session, CPU per message;
#   2. soak: churn at 1,000 new sessions/s (3 messages each) for --soak-seconds (600 by
#      default): drover's RSS sampled every 5 s; RSS at the end against RSS after the first
#      minute (the goal: within 10 %), every session completed (no dropped iteration, no error);
#   3. shards: 50,000 sessions as 3 drover processes (--shard i/3) against 3 targets (the
#      open-files limit is 20,000 per process), their peak RSS summed, then `drover report
#      merge` of the three results, whose session count must be the sum.
# Generators on CPU 0 and targets on CPU 1, as in run.sh; do not run it on a loaded machine.
# env: LINEAR_SIZES ("1000 5000 10000 19000"), GEN_CPU (0), TARGET_CPU (1).
#   tests/bench/load/scale.sh [--parts linear,soak,shards] [--soak-seconds S] [--build DIR] [--out FILE]
set -Eeuo pipefail
trap 'echo "scale.sh: line $LINENO: \"$BASH_COMMAND\" failed (exit $?)" >&2' ERR
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../.." && pwd)
die() { echo "scale.sh: $*" >&2; exit 2; }
parts=linear,soak,shards soak_seconds=600 build=$root/build out=
while [[ $# -gt 0 ]]; do
  case $1 in
    --parts) parts=${2:?--parts needs a list}; shift ;;
    --soak-seconds) soak_seconds=${2:?--soak-seconds needs a number}; shift ;;
    --build) build=${2:?--build needs a directory}; shift ;;
    --out) out=${2:?--out needs a file}; shift ;;
    *) die "unknown argument $1 (see the header of scale.sh)" ;;
  esac
  shift
done
[[ $soak_seconds =~ ^[0-9]+$ ]] && ((soak_seconds >= 90)) || die "--soak-seconds must be a number of seconds, at least 90"
out=${out:-$build/bench_load_scale.md}
drover=${DROVER:-$build/drover}
server=${ACK_SERVER:-$build/tests/bench/load/bench_ack_server}
for f in "$drover" "$server"; do [[ -x $f ]] || die "$f is missing (dbuild drover bench_ack_server)"; done
lean=$here/scenarios/lean.lua
gen_cpu=${GEN_CPU:-0} target_cpu=${TARGET_CPU:-1}

work=$(mktemp -d "${TMPDIR:-/tmp}/drover-bench-scale.XXXXXX")
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill -TERM "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
  rm -rf -- "$work"
}
trap cleanup EXIT

# start_target NAME: a bench_ack_server on the target CPU; sets url_NAME and pid_NAME.
start_target() {
  local name=$1 log=$work/target-$1.out port= i
  taskset -c "$target_cpu" "$server" --port 0 >"$log" 2>&1 &
  pids+=($!)
  printf -v "pid_$name" %s "$!"
  for i in $(seq 200); do
    port=$(sed -n 's/^listening on 127\.0\.0\.1:\([0-9]*\)$/\1/p' "$log")
    [[ -n $port ]] && break
    sleep 0.05
  done
  [[ -n $port ]] || die "bench_ack_server did not start: $(cat "$log")"
  printf -v "url_$name" %s "ws://127.0.0.1:$port/"
}
stop_target() {  # stop_target NAME: sets served_messages and served_sessions
  local name=$1 pid_var=pid_$1
  kill -TERM "${!pid_var}"
  wait "${!pid_var}" || true
  served_sessions=$(sed -n 's/^served sessions=\([0-9]*\) .*/\1/p' "$work/target-$name.out")
  served_messages=$(sed -n 's/^served sessions=[0-9]* messages=\([0-9]*\)$/\1/p' "$work/target-$name.out")
}

# run_sampled LOG RSS_FILE CMD...: runs CMD (a drover run) on the generator CPU, writing
# "seconds_since_start rss_kib" every 5 s to RSS_FILE; sets peak_kib (VmHWM), cpu_s (user +
# system of the process) and rc.
hz=$(getconf CLK_TCK)
run_sampled() {
  local log=$1 rss_file=$2
  shift 2
  local started=$SECONDS
  taskset -c "$gen_cpu" "$@" >"$log" 2>&1 &
  local pid=$! ticks=0 line
  pids+=("$pid")
  peak_kib=0
  : >"$rss_file"
  local next=0
  while kill -0 "$pid" 2>/dev/null; do
    if [[ -r /proc/$pid/status ]]; then
      local hwm rss
      hwm=$(awk '/^VmHWM:/ { print $2 }' "/proc/$pid/status" 2>/dev/null || true)
      rss=$(awk '/^VmRSS:/ { print $2 }' "/proc/$pid/status" 2>/dev/null || true)
      line=$(cat "/proc/$pid/stat" 2>/dev/null || true)
      [[ -n $line ]] && ticks=$(awk '{ print $14 + $15 }' <<<"$line")
      [[ -n $hwm ]] && ((hwm > peak_kib)) && peak_kib=$hwm
      if [[ -n $rss ]] && ((SECONDS - started >= next)); then
        echo "$((SECONDS - started)) $rss" >>"$rss_file"
        next=$((next + 5))
      fi
    fi
    sleep 0.5
  done
  rc=0
  wait "$pid" || rc=$?
  cpu_s=$(awk -v t="$ticks" -v hz="$hz" 'BEGIN { printf "%.2f", t / hz }')
}

summary_count() {  # summary_count SUMMARY METRIC
  python3 -c 'import json, sys
m = json.load(open(sys.argv[1])).get("metrics", {})
print(int(m.get(sys.argv[2], {}).get("count", 0) or 0))' "$1" "$2"
}

report=$work/report.md
{
  echo "<!-- scale.sh on $(hostname), $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) CPUs, generators on CPU $gen_cpu, targets on CPU $target_cpu -->"
} >"$report"
failed=0

if [[ ,$parts, == *,linear,* ]]; then
  {
    echo
    echo "### Linear growth: drover-lean holding N sessions (one message every 5 s)"
    echo
    echo "| sessions | exit | sessions served | messages | peak RSS MB | RSS / session KiB | marginal KiB / session | CPU-s | CPU-s / 100k msgs | ws_errors |"
    echo "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
  } >>"$report"
  prev_n=0 prev_kib=0
  for n in ${LINEAR_SIZES:-1000 5000 10000 19000}; do
    start_target lin
    ramp=$((n / 1000))  # 1,000 sessions per second
    run_sampled "$work/lin-$n.log" "$work/lin-$n.rss" "$drover" run "$lean" --target "$url_lin" --workers 1 --quiet \
      --out "$work/lin-$n" --vus "$n" --ramp-up "${ramp}s" --duration "$((ramp + 30))s" --graceful-stop 5s \
      --env MODE=interval --env EVERY_MS=5000
    stop_target lin
    errors=$(summary_count "$work/lin-$n/summary.json" ws_errors 2>/dev/null || echo "?")
    ((rc == 0)) || { echo "scale.sh: linear $n exited $rc:" >&2; tail -n 20 "$work/lin-$n.log" >&2; failed=1; }
    marginal="—"
    ((prev_n > 0)) && marginal=$(awk -v a="$peak_kib" -v b="$prev_kib" -v n="$n" -v p="$prev_n" 'BEGIN { printf "%.1f", (a - b) / (n - p) }')
    awk -v n="$n" -v rc="$rc" -v s="$served_sessions" -v m="$served_messages" -v k="$peak_kib" -v mg="$marginal" -v c="$cpu_s" -v e="$errors" 'BEGIN {
      printf "| %d | %d | %d | %d | %.1f | %.1f | %s | %.2f | %s | %s |\n", n, rc, s, m, k / 1024, k / n, mg, c, (m > 0 ? sprintf("%.3f", c / m * 1e5) : "—"), e }' >>"$report"
    tail -n 1 "$report"
    prev_n=$n prev_kib=$peak_kib
  done
fi

if [[ ,$parts, == *,soak,* ]]; then
  start_target soak
  run_sampled "$work/soak.log" "$work/soak.rss" "$drover" run "$lean" --target "$url_soak" --workers 1 --quiet --out "$work/soak" \
    --executor constant-arrival-rate --rate 1000 --pre-allocated-vus 100 --max-vus 1000 --duration "${soak_seconds}s" \
    --env MODE=churn --env PACE=0 --env MESSAGES=3
  stop_target soak
  ((rc == 0)) || { echo "scale.sh: soak exited $rc:" >&2; tail -n 20 "$work/soak.log" >&2; failed=1; }
  dropped=$(summary_count "$work/soak/summary.json" dropped_iterations 2>/dev/null || echo "?")
  errors=$(summary_count "$work/soak/summary.json" ws_errors 2>/dev/null || echo "?")
  iterations=$(summary_count "$work/soak/summary.json" iterations 2>/dev/null || echo "?")
  rss_1min=$(awk '$1 >= 60 { print $2; exit }' "$work/soak.rss")
  rss_end=$(tail -n 1 "$work/soak.rss" | awk '{ print $2 }')
  {
    echo
    echo "### Churn soak: 1,000 new sessions/s, 3 messages each, ${soak_seconds} s"
    echo
    echo "| exit | sessions served | messages | iterations | dropped | ws_errors | RSS after 1 min MB | RSS at the end MB | change | peak RSS MB | CPU-s / 1k sessions |"
    echo "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
    awk -v rc="$rc" -v s="$served_sessions" -v m="$served_messages" -v it="$iterations" -v d="$dropped" -v e="$errors" \
        -v a="$rss_1min" -v b="$rss_end" -v k="$peak_kib" -v c="$cpu_s" 'BEGIN {
      printf "| %d | %d | %d | %s | %s | %s | %.1f | %.1f | %+.1f %% | %.1f | %s |\n", rc, s, m, it, d, e, a / 1024, b / 1024,
             (a > 0 ? (b - a) / a * 100 : 0), k / 1024, (s > 0 ? sprintf("%.3f", c / s * 1000) : "—") }'
    echo
    echo "RSS every 5 s (seconds MB): $(awk '{ printf "%s %.0f; ", $1, $2 / 1024 }' "$work/soak.rss")"
  } >>"$report"
  tail -n 3 "$report" | head -n 1
fi

if [[ ,$parts, == *,shards,* ]]; then
  total=50000 shards=3
  for i in 1 2 3; do start_target "s$i"; done
  # The three shards at once, each against its own target; RSS summed at each one's peak.
  shard_pids=()
  for i in 1 2 3; do
    url_var=url_s$i
    taskset -c "$gen_cpu" /usr/bin/time -f "%M %U %S" -o "$work/shard-$i.time" "$drover" run "$lean" --target "${!url_var}" \
      --workers 1 --quiet --out "$work/shard-$i" --shard "$i/$shards" --vus "$total" --ramp-up 50s --duration 80s \
      --graceful-stop 5s --env MODE=interval --env EVERY_MS=5000 >"$work/shard-$i.log" 2>&1 &
    shard_pids+=($!)
    pids+=($!)
  done
  rc=0
  for p in "${shard_pids[@]}"; do wait "$p" || rc=$?; done
  sessions_served=0
  for i in 1 2 3; do stop_target "s$i"; sessions_served=$((sessions_served + served_sessions)); done
  ((rc == 0)) || { echo "scale.sh: a shard exited $rc:" >&2; tail -n 20 "$work"/shard-*.log >&2; failed=1; }
  rss_sum=$(cat "$work"/shard-*.time | awk '{ s += $1 } END { print s }')
  "$drover" report merge "$work/shard-1" "$work/shard-2" "$work/shard-3" --out "$work/merged" >"$work/merge.log" 2>&1 ||
    { echo "scale.sh: report merge failed:" >&2; cat "$work/merge.log" >&2; failed=1; }
  merged_sessions=$(summary_count "$work/merged/summary.json" ws_sessions 2>/dev/null || echo "?")
  {
    echo
    echo "### $total sessions as $shards shards (one drover process and one target each), merged"
    echo
    echo "| shard | peak RSS MB | CPU-s | sessions (summary) |"
    echo "| ---: | ---: | ---: | ---: |"
    for i in 1 2 3; do
      read -r kib user sys <"$work/shard-$i.time"
      echo "| $i/$shards | $(awk -v k="$kib" 'BEGIN { printf "%.1f", k / 1024 }') | $(awk -v u="$user" -v s="$sys" 'BEGIN { printf "%.2f", u + s }') | $(summary_count "$work/shard-$i/summary.json" ws_sessions 2>/dev/null || echo "?") |"
    done
    echo
    echo "All shards: $(awk -v k="$rss_sum" 'BEGIN { printf "%.1f", k / 1024 }') MB of peak RSS summed; targets served $sessions_served sessions; the merged summary.json counts $merged_sessions ws_sessions."
  } >>"$report"
  tail -n 1 "$report"
fi

cp "$report" "$out"
echo "table: $out"
exit "$failed"
