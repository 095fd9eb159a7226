#!/usr/bin/env bash
# The load benchmark (tests/bench/load/RESULTS.md says what it measures and why): each workload
# of issue 11 is run by each generator, one after the other, against a fresh bench_ack_server;
# the generator is pinned to one CPU and the target to another (taskset), the generator measured
# with /usr/bin/time -v, the target's CPU read from /proc/PID/stat before and after. Messages
# are counted by the target (the same counter for every generator). Writes a markdown table and
# prints a one-line ratio summary against the floor.
#
#   tests/bench/load/run.sh [--quick] [--tools LIST] [--workloads LIST] [--build DIR] [--out FILE]
#
#   --quick      a few seconds per workload, fewer sessions: a smoke check, not a measurement
#   --tools      comma list of floor, drover-lean, drover-typical, drover-validating, artillery
#                (default: all; artillery needs tests/bench/load/install.sh first). drover-validating
#                is the typical script speaking the wearable protocol (SUBMIT out, HEARTBEAT_ACK
#                back from the target) with --protocol wearable --validate all.
#   --workloads  comma list of a, b, c, d (default: all)
#   --build DIR  where drover and the bench executables are (default: <repo>/build)
#   --out FILE   the markdown table (default: DIR/bench_load_results.md)
# env: GEN_CPU (0), TARGET_CPU (1): the CPUs for the generator and the target.
#
# Do not run the full benchmark while anything else loads the machine: the numbers are noise then.
set -Eeuo pipefail
# A command that fails under set -e says which one (it once ended the run with exit 2 and no word).
trap 'echo "run.sh: line $LINENO: \"$BASH_COMMAND\" failed (exit $?)" >&2' ERR
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../.." && pwd)
die() { echo "run.sh: $*" >&2; exit 2; }

quick=0 tools=floor,drover-lean,drover-typical,drover-validating,artillery workloads=a,b,c,d build=$root/build out=
while [[ $# -gt 0 ]]; do
  case $1 in
    --quick) quick=1 ;;
    --tools) tools=${2:?--tools needs a list}; shift ;;
    --workloads) workloads=${2:?--workloads needs a list}; shift ;;
    --build) build=${2:?--build needs a directory}; shift ;;
    --out) out=${2:?--out needs a file}; shift ;;
    *) die "unknown argument $1 (see the header of run.sh)" ;;
  esac
  shift
done
out=${out:-$build/bench_load_results.md}
drover=${DROVER:-$build/drover}
server=${ACK_SERVER:-$build/tests/bench/load/bench_ack_server}
floor=${FLOOR_CLIENT:-$build/tests/bench/load/bench_floor_client}
artillery=$here/node_modules/.bin/artillery
gen_cpu=${GEN_CPU:-0} target_cpu=${TARGET_CPU:-1}
for f in "$drover" "$server" "$floor"; do [[ -x $f ]] || die "$f is missing (dbuild drover bench_ack_server bench_floor_client)"; done
[[ -x /usr/bin/time ]] || die "/usr/bin/time is missing (apt-get install time)"
command -v taskset >/dev/null || die "taskset is missing (util-linux)"
(( $(nproc) >= 2 )) || die "needs 2 CPUs (generator and target on different cores)"
if [[ ,$tools, == *,artillery,* && ! -x $artillery ]]; then die "Artillery is not installed: tests/bench/load/install.sh"; fi

# Workload parameters. Full: the issue's; quick: same shapes, seconds and hundreds.
if (( quick )); then
  a_conns=100 a_dur=2
  b_sessions=500 b_every=1 b_ramp=0.5 b_dur=3
  c_rate=100 c_msgs=3 c_dur=3
  d_sessions=1000 d_every=1 d_ramp=0.5 d_dur=3
else
  a_conns=100 a_dur=20
  b_sessions=10000 b_every=5 b_ramp=10 b_dur=40
  c_rate=1000 c_msgs=3 c_dur=30
  d_sessions=19000 d_every=5 d_ramp=19 d_dur=45
fi
ms() { awk -v s="$1" 'BEGIN { printf "%dms", s * 1000 }'; }

work=$(mktemp -d "${TMPDIR:-/tmp}/drover-bench-load.XXXXXX")
target_pid=
cleanup() {
  if [[ -n $target_pid ]] && kill -0 "$target_pid" 2>/dev/null; then kill -TERM "$target_pid"; wait "$target_pid" || true; fi
  rm -rf -- "$work"
}
trap cleanup EXIT

# Each target writes a file of its own: with one file reused, a loaded machine could run the
# reading loop before the new child had truncated it, and the loop read the port of the target
# just stopped (every connection then refused; seen once in test.sh).
target_runs=0
start_target() {  # start_target [ANSWER]
  target_runs=$((target_runs + 1))
  target_out=$work/target-$target_runs.out
  local answer=()
  [[ -n ${1:-} ]] && answer=(--answer "$1")
  taskset -c "$target_cpu" "$server" --port 0 "${answer[@]}" >"$target_out" 2>&1 &
  target_pid=$!
  local port= i
  for i in $(seq 200); do  # 10 s at most (a loaded machine starts processes slowly)
    port=$(sed -n 's/^listening on 127\.0\.0\.1:\([0-9]*\)$/\1/p' "$target_out" 2>/dev/null)
    [[ -n $port ]] && break
    sleep 0.05
  done
  [[ -n $port ]] || die "bench_ack_server did not start: $(cat "$target_out")"
  target_url=ws://127.0.0.1:$port/
}
# utime + stime of the target, in clock ticks (fields 14 and 15; the name field has no spaces).
target_ticks() { awk '{ print $14 + $15 }' "/proc/$target_pid/stat"; }
stop_target() {
  kill -TERM "$target_pid"
  wait "$target_pid" || true
  target_pid=
  served_sessions=$(sed -n 's/^served sessions=\([0-9]*\) messages=.*/\1/p' "$target_out")
  served_messages=$(sed -n 's/^served sessions=[0-9]* messages=\([0-9]*\)$/\1/p' "$target_out")
  [[ -n $served_messages ]] || die "bench_ack_server did not report what it served: $(cat "$target_out")"
}

# Artillery's script for a workload: its own websocket engine; a send with `match` waits for
# the ack, which makes the loop closed as the floor's and drover's are.
artillery_script() {
  local w=$1 file=$work/artillery-$w.yml
  local send="      - send:
          payload: '{\"type\":\"msg\",\"n\":1}'
          match:
            json: \"\$.type\"
            value: \"ack\""
  {
    echo "config:"
    echo "  target: \"$target_url\""
    echo "  processor: \"$work/deadline.js\""
    echo "  phases:"
    case $w in
      a) echo "    - { duration: 1, arrivalCount: $a_conns }" ;;
      b) echo "    - { duration: $(awk -v r="$b_ramp" 'BEGIN { print (r < 1 ? 1 : r) }'), arrivalCount: $b_sessions }" ;;
      c) echo "    - { duration: $c_dur, arrivalRate: $c_rate }" ;;
      d) echo "    - { duration: $(awk -v r="$d_ramp" 'BEGIN { print (r < 1 ? 1 : r) }'), arrivalCount: $d_sessions }" ;;
    esac
    echo "scenarios:"
    echo "  - engine: ws"
    echo "    flow:"
    case $w in
      a) echo "      - function: setDeadline"; echo "      - loop:"; echo "$send" | sed 's/^/    /'
         echo "        whileTrue: beforeDeadline" ;;
      b | d)
        local every=${b_every} dur=${b_dur}
        [[ $w == d ]] && every=$d_every dur=$d_dur
        echo "      - loop:"; echo "$send" | sed 's/^/    /'; echo "          - think: $every"
        echo "        count: $(awk -v d="$dur" -v e="$every" 'BEGIN { printf "%d", d / e }')" ;;
      c) for _ in $(seq "$c_msgs"); do echo "$send"; done ;;
    esac
  } >"$file"
  # Artillery loops by count or while a function says so: the closed loop (a) ends at the
  # duration, measured from each client's start as the floor's and drover's end at theirs.
  cat >"$work/deadline.js" <<JS
module.exports = {
  setDeadline(context, events, done) { context.vars.deadline = Date.now() + $(awk -v d="$a_dur" 'BEGIN { printf "%d", d * 1000 }'); return done(); },
  beforeDeadline(context, next) { return next(Date.now() < context.vars.deadline); },
};
JS
  echo "$file"
}

# The generator's command line for (tool, workload), in the array cmd; nominal concurrent
# sessions (for RSS per session; 0: churn, where it is not a fixed number) in sessions_nominal.
generator_cmd() {
  local tool=$1 w=$2
  local lua=$here/scenarios/lean.lua
  [[ $tool == drover-typical || $tool == drover-validating ]] && lua=$here/scenarios/typical.lua
  local d=(run "$lua" --target "$target_url" --workers 1 --quiet --out "$work/out-$w-$tool")
  [[ $tool == drover-validating ]] && d+=(--protocol wearable --validate all --env PROTOCOL=wearable)
  case $tool:$w in
    floor:a) cmd=("$floor" "$target_url" closed --connections "$a_conns" --duration "$a_dur") ;;
    floor:b) cmd=("$floor" "$target_url" interval --sessions "$b_sessions" --every "$b_every" --ramp "$b_ramp" --duration "$b_dur") ;;
    floor:c) cmd=("$floor" "$target_url" churn --rate "$c_rate" --messages "$c_msgs" --duration "$c_dur") ;;
    floor:d) cmd=("$floor" "$target_url" interval --sessions "$d_sessions" --every "$d_every" --ramp "$d_ramp" --duration "$d_dur") ;;
    drover-*:a) cmd=("$drover" "${d[@]}" --vus "$a_conns" --duration "$(ms "$a_dur")" --env MODE=closed) ;;
    drover-*:b) cmd=("$drover" "${d[@]}" --vus "$b_sessions" --ramp-up "$(ms "$b_ramp")" --duration "$(ms "$b_dur")"
                     --graceful-stop "$(ms "$b_every")" --env MODE=interval --env EVERY_MS="$(ms "$b_every" | tr -d ms)") ;;
    # Churn: RATE sessions started per second by the arrival-rate executor, independent of how
    # fast they end (as the floor's schedule); one session per iteration (PACE=0). A pool of a
    # tenth of the rate, growing to the rate: dropped_iterations in its summary if that is short.
    drover-*:c) cmd=("$drover" "${d[@]}" --executor constant-arrival-rate --rate "$c_rate"
                     --pre-allocated-vus "$(( c_rate / 10 > 10 ? c_rate / 10 : 10 ))" --max-vus "$c_rate"
                     --duration "$(ms "$c_dur")" --env MODE=churn --env PACE=0 --env MESSAGES="$c_msgs") ;;
    drover-*:d) cmd=("$drover" "${d[@]}" --vus "$d_sessions" --ramp-up "$(ms "$d_ramp")" --duration "$(ms "$d_dur")"
                     --graceful-stop "$(ms "$d_every")" --env MODE=interval --env EVERY_MS="$(ms "$d_every" | tr -d ms)") ;;
    artillery:*)
      local dur_var=${w}_dur
      # Artillery ends on its own; the timeout is a safety net (it takes ~15 s to start and stop
      # here; a run it cuts short shows as exit 124 and its CPU and RSS are then not measured).
      cmd=(timeout --signal=INT --kill-after=10 "$(( ${!dur_var%.*} + 90 ))" env WORKERS=1 ARTILLERY_DISABLE_TELEMETRY=true
           "$artillery" run "$(artillery_script "$w")") ;;  # its report (vusers.failed) goes to the log
    *) die "unknown tool $tool" ;;
  esac
  case $w in a) sessions_nominal=$a_conns ;; b) sessions_nominal=$b_sessions ;; c) sessions_nominal=0 ;; d) sessions_nominal=$d_sessions ;; esac
}

# What the generator itself says went wrong: the floor's failed sessions, drover's ws_errors and
# dropped_iterations (an arrival-rate run that fell behind says so), Artillery's failed users.
generator_issues() {
  local tool=$1 w=$2
  local log=$work/log-$w-$tool
  case $tool in
    floor) sed -n 's/^messages=[0-9]* sessions=[0-9]* errors=\([0-9]*\)$/\1 failed sessions/p' "$log" ;;
    drover-*)
      local summary=$work/out-$w-$tool/summary.json
      [[ -f $summary ]] || { echo "no summary.json"; return; }
      python3 -c 'import json, sys
m = json.load(open(sys.argv[1]))["metrics"]
c = lambda k: int(m.get(k, {}).get("count", 0) or 0)
d = json.load(open(sys.argv[1]))
out = "%d ws_errors, %d dropped" % (c("ws_errors"), c("dropped_iterations"))
v = d.get("validation")
if v:  # drover-validating: how many messages were validated, and none may be invalid
  invalid = sum(int(x.get("invalid", 0)) for x in v.get("messages", [])) + int(v.get("unknown", 0))
  out += ", %d validated, %d invalid" % (int(v.get("validated", 0)), invalid)
print(out)' "$summary" 2>/dev/null || echo "?" ;;
    artillery) sed -n 's/^vusers\.failed: *\.* *\([0-9]*\)$/\1 failed users/p' "$log" | tail -n 1 ;;
  esac
}

# "m:ss.ss" or "h:mm:ss" to seconds.
wall_seconds() { awk -F: '{ s = 0; for (i = 1; i <= NF; i++) s = s * 60 + $i; print s }' <<<"$1"; }

hz=$(getconf CLK_TCK)
{
  echo "| workload | generator | exit | messages | sessions | msgs/s | wall s | gen CPU-s | gen CPU-s / 100k msgs | peak RSS MB | RSS / session KiB | target CPU-s | target CPU-s / 100k msgs | errors / dropped |"
  echo "| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |"
} >"$work/table.md"
declare -A cpu_per_msg rss_mb
failed=0
IFS=, read -r -a tool_list <<<"$tools"
IFS=, read -r -a workload_list <<<"$workloads"
for w in "${workload_list[@]}"; do
  for tool in "${tool_list[@]}"; do
    if [[ $tool == drover-validating ]]; then start_target '{"op":1}'; else start_target; fi
    generator_cmd "$tool" "$w"
    t0=$(target_ticks)
    set +e
    /usr/bin/time -v -o "$work/time-$w-$tool" taskset -c "$gen_cpu" "${cmd[@]}" >"$work/log-$w-$tool" 2>&1
    rc=$?
    set -e
    t1=$(target_ticks)
    stop_target
    tf=$work/time-$w-$tool
    user=$(sed -n 's/^\s*User time (seconds): //p' "$tf")
    sys=$(sed -n 's/^\s*System time (seconds): //p' "$tf")
    rss_kb=$(sed -n 's/^\s*Maximum resident set size (kbytes): //p' "$tf")
    wall=$(wall_seconds "$(sed -n 's/^\s*Elapsed (wall clock) time.*: //p' "$tf")")
    if [[ -z $user || -z $rss_kb ]]; then
      echo "run.sh: $w/$tool: no measurement; its output:" >&2
      cat "$work/log-$w-$tool" "$tf" >&2 || true
      failed=1
      continue
    fi
    if (( rc != 0 )); then
      echo "run.sh: $w/$tool exited $rc; the last lines of its output:" >&2
      tail -n 20 "$work/log-$w-$tool" >&2
      failed=1
    fi
    issues=$(generator_issues "$tool" "$w")
    dur_var=${w}_dur
    row=$(awk -v issues="$issues" -v w="$w" -v tool="$tool" -v rc="$rc" -v m="$served_messages" -v s="$served_sessions" -v wall="$wall" \
              -v dur="${!dur_var}" \
              -v cpu="$(awk -v u="$user" -v s="$sys" 'BEGIN { print u + s }')" -v rss="$rss_kb" -v n="$sessions_nominal" \
              -v tcpu="$(awk -v a="$t0" -v b="$t1" -v hz="$hz" 'BEGIN { print (b - a) / hz }')" 'BEGIN {
      per = m > 0 ? sprintf("%.3f", cpu / m * 1e5) : "—"
      tper = m > 0 ? sprintf("%.3f", tcpu / m * 1e5) : "—"
      rps = n > 0 ? sprintf("%.1f", rss / n) : "—"
      # msgs/s over the workload duration: wall time also holds start-up and shut-down (Artillery
      # takes ~15 s for them here, drover its graceful stop), shown beside it.
      printf "| %s | %s | %d | %d | %d | %.0f | %.1f | %.2f | %s | %.1f | %s | %.2f | %s | %s |\n",
             w, tool, rc, m, s, m / dur, wall, cpu, per, rss / 1024, rps, tcpu, tper, issues
    }')
    echo "$row" >>"$work/table.md"
    echo "$row"
    cpu_per_msg[$w:$tool]=$(awk -v c="$user" -v s="$sys" -v m="$served_messages" 'BEGIN { print (m > 0 ? (c + s) / m : 0) }')
    rss_mb[$w:$tool]=$rss_kb
  done
done

# The one-line summary: each generator's CPU per message and peak RSS as multiples of the floor's.
summary="ratios to the floor (CPU per message / peak RSS):"
for w in "${workload_list[@]}"; do
  base=${cpu_per_msg[$w:floor]:-}
  [[ -n $base ]] || continue
  part=
  for tool in "${tool_list[@]}"; do
    [[ $tool == floor || -z ${cpu_per_msg[$w:$tool]:-} ]] && continue
    part+=" $tool $(awk -v a="${cpu_per_msg[$w:$tool]}" -v b="$base" -v r="${rss_mb[$w:$tool]}" -v q="${rss_mb[$w:floor]}" \
      'BEGIN { printf "%s/%s", (b > 0 ? sprintf("%.2fx", a / b) : "—"), (q > 0 ? sprintf("%.2fx", r / q) : "—") }')"
  done
  summary+=" ($w)$part;"
done
{
  echo "<!-- run.sh $( (( quick )) && echo --quick) on $(hostname), $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) CPUs, generator on CPU $gen_cpu, target on CPU $target_cpu -->"
  cat "$work/table.md"
  echo
  echo "$summary"
} >"$out"
echo "$summary"
echo "table: $out"
exit "$failed"
