#!/usr/bin/env bash
# Prints the last lines of every failed test's output from a `ctest --output-on-failure` log,
# so that the end of test.sh's output (often all a CI page keeps) says why each test failed.
#   tests/support/failed_tests_digest.sh CTEST_LOG [LINES_PER_TEST]
set -euo pipefail
log=${1:?usage: failed_tests_digest.sh CTEST_LOG [LINES_PER_TEST]}
keep=${2:-12}
[[ -r $log ]] || { echo "failed_tests_digest.sh: cannot read $log" >&2; exit 2; }
awk -v keep="$keep" '
  function flush(   i, first) {
    if (name == "") return
    printf "--- %s (last %d of %d output lines) ---\n", name, (n < keep ? n : keep), n
    first = n - keep + 1; if (first < 1) first = 1
    for (i = first; i <= n; ++i) print buf[i]
    name = ""; n = 0
  }
  # A result line: " 3/57 Test #12: name ....***Failed  1.2 sec" (or Timeout, Exception, Not Run).
  /^ *[0-9]+\/[0-9]+ Test +#[0-9]+: / {
    flush()
    if ($0 ~ /\*\*\*|Failed|Not Run|Timeout|Exception/ && $0 !~ /  Passed /) {
      name = $0; sub(/^ *[0-9]+\/[0-9]+ Test +#[0-9]+: /, "", name); sub(/ \.+.*$/, "", name); sub(/ +\*\*\*.*$/, "", name)
    }
    next
  }
  /^ *Start +[0-9]+: / || /^[0-9]+% tests passed/ || /^The following tests FAILED/ { flush(); next }
  name != "" { buf[++n] = $0 }
  END { flush() }
' "$log"
