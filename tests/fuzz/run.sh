#!/usr/bin/env bash
# Builds the libFuzzer targets (clang, in build-fuzz/), replays every committed seed of each
# target (each must pass), then fuzzes each target for N seconds (default 20). New inputs go
# to a temporary directory, never into the committed corpus; a crash leaves its input there
# and fails the script (add it under tests/fuzz/regressions/<target>/ once fixed, then run
# make_corpus.sh).
# Targets run side by side, --jobs at a time (default: one per core; each libFuzzer process is
# single-threaded).
#   tests/fuzz/run.sh [--seconds N] [--jobs N] [--keep] [target...]   targets: see below (default all)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
build="${DROVER_FUZZ_BUILD:-$root/build-fuzz}"
all_targets=(json_bridge lua_json_decode url duration_threshold schema_validation identify fake_sessions)
seconds=20
jobs=$(nproc)
keep=0
targets=()
while (($#)); do
  case "$1" in
    --seconds) seconds="$2"; shift 2 ;;
    --seconds=*) seconds="${1#*=}"; shift ;;
    --jobs) jobs="$2"; shift 2 ;;
    --jobs=*) jobs="${1#*=}"; shift ;;
    --keep) keep=1; shift ;;
    -h|--help) sed -n '2,10p' "$0"; exit 0 ;;
    -*) echo "run.sh: unknown option $1" >&2; exit 2 ;;
    *) [[ " ${all_targets[*]} " == *" $1 "* ]] || { echo "run.sh: unknown target $1 (${all_targets[*]})" >&2; exit 2; }
       targets+=("$1"); shift ;;
  esac
done
((${#targets[@]})) || targets=("${all_targets[@]}")
[[ $jobs =~ ^[1-9][0-9]*$ ]] || { echo "run.sh: --jobs wants a count of 1 or more, not '$jobs'" >&2; exit 2; }
[[ $seconds =~ ^[1-9][0-9]*$ ]] || { echo "run.sh: --seconds wants a count of 1 or more, not '$seconds'" >&2; exit 2; }

# Longest input per target: room for a real message, not for the fuzzer to spend its time
# growing megabyte inputs (the parsers' size limits have their own unit tests).
max_len_of() {
  case "$1" in
    url|duration_threshold) echo 1024 ;;
    fake_sessions) echo 16384 ;;
    *) echo 8192 ;;
  esac
}
dict_of() {
  case "$1" in
    url) echo "$here/url.dict" ;;
    duration_threshold) echo "$here/duration.dict" ;;
    *) echo "$here/json.dict" ;;
  esac
}

if [[ ! -f "$build/build.ninja" ]]; then
  mkdir -p "$build"
  if ! CC=clang CXX=clang++ nice -n 10 cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
      -DDROVER_FUZZ=ON -DDROVER_TESTS=OFF -DDROVER_BENCHMARKS=OFF >"$build/fuzz-configure.log" 2>&1; then
    tail -n 40 "$build/fuzz-configure.log" >&2
    echo "run.sh: configuring $build failed" >&2
    exit 1
  fi
fi
if ! nice -n 10 ninja -C "$build" -j "${DROVER_FUZZ_JOBS:-2}" $(printf 'fuzz_%s ' "${targets[@]}") >"$build/fuzz-build.log" 2>&1; then
  tail -n 60 "$build/fuzz-build.log" >&2
  echo "run.sh: the fuzz build failed (log: $build/fuzz-build.log)" >&2
  exit 1
fi

work="$(mktemp -d "${TMPDIR:-/tmp}/drover-fuzz.XXXXXX")"
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1:allocator_may_return_null=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"
# One target: replay, then fuzz. Its verdict line goes to $work/$t/summary; exit 1 on a finding.
fuzz_target() {
  local t="$1"
  local bin="$build/tests/fuzz/fuzz_$t"
  local corpus="$here/corpus/$t"
  mkdir -p "$work/$t/new" "$work/$t/artifacts"
  # 1. Replay: every committed seed, once each.
  local seeds=("$corpus"/*)
  if ! "$bin" -timeout=10 -rss_limit_mb=2048 "${seeds[@]}" >"$work/$t/replay.log" 2>&1; then
    { echo "run.sh: $t: a committed seed fails; see $work/$t/replay.log"; tail -n 30 "$work/$t/replay.log"; } >&2
    echo "$t: replay FAILED" >"$work/$t/summary"
    return 1
  fi
  # 2. Fuzz for N seconds from the seeds.
  local log="$work/$t/fuzz.log"
  if "$bin" -max_total_time="$seconds" -max_len="$(max_len_of "$t")" -timeout=10 -rss_limit_mb=2048 \
       -dict="$(dict_of "$t")" -print_final_stats=1 -artifact_prefix="$work/$t/artifacts/" \
       "$work/$t/new" "$corpus" >"$log" 2>&1; then
    local execs
    execs="$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n1)"
    echo "$t: ${#seeds[@]} seeds replayed, ${seconds} s, ${execs:-?} executions, no finding" >"$work/$t/summary"
  else
    {
      echo "run.sh: $t: finding; log $log, input(s):"
      ls "$work/$t/artifacts" || true
      grep -m1 -A25 -E '==ERROR|runtime error|^json_bridge:|^url:|^duration_threshold:|^schema_validation:|^identify:|^lua_json_decode:|^fake_sessions:|deadly signal|timeout|out-of-memory' "$log" || tail -n 40 "$log"
    } >&2
    echo "$t: FINDING (see $work/$t)" >"$work/$t/summary"
    return 1
  fi
}

status=0
running=0
for t in "${targets[@]}"; do
  if ((running >= jobs)); then
    wait -n || status=1
    running=$((running - 1))
  fi
  fuzz_target "$t" &
  running=$((running + 1))
done
while ((running > 0)); do
  wait -n || status=1
  running=$((running - 1))
done
summary=()
for t in "${targets[@]}"; do summary+=("$(cat "$work/$t/summary" 2>/dev/null || echo "$t: no verdict")"); done
printf 'fuzz: %s\n' "${summary[@]}"
if ((status == 0 && keep == 0)); then rm -rf "$work"; else echo "fuzz: work files in $work"; fi
exit "$status"
