# Sourced by the tests' bash scripts (tests/browser/report_test.sh, tests/junit/junit_xsd_test.sh):
# `drover fake` servers on free ports, stopped by pid when the script exits.
# The script sets $drover (the binary) and $work (a temporary folder), and defines fail(), first.
#   start_fake ARGS...   starts `drover fake ARGS... --port 0`; sets $port once it listens (10 s at most)
#   stop_fakes           stops every fake started (call it from the script's EXIT trap)
fake_pids=()

start_fake() {
  local log=$work/fake-${#fake_pids[@]}.log
  : >"$log"  # exists before the fake's shell opens it, so the first read below does not race it
  "$drover" fake "$@" --port 0 >"$log" 2>&1 &
  fake_pids+=($!)
  port=
  for _ in $(seq 100); do
    port=$(sed -n 's/^listening on 127\.0\.0\.1:\([0-9]*\)$/\1/p' "$log")
    [[ -n $port ]] && return 0
    kill -0 "${fake_pids[-1]}" 2>/dev/null || break
    sleep 0.1
  done
  cat "$log" >&2
  fail "drover fake $* did not print its port"
}

stop_fakes() {
  local pid
  for pid in "${fake_pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${fake_pids[@]}"; do wait "$pid" 2>/dev/null || true; done
}
