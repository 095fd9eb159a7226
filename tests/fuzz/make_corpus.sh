#!/usr/bin/env bash
# Regenerates the committed seed corpora in tests/fuzz/corpus/<target>/ from the protocol
# schemas' examples (schemas/**/*.schema.json "examples"), the schema tests' valid and invalid
# instances (tests/schemas/<protocol>/{valid,invalid}.json) and the hand-made seeds below.
# Files are named by the SHA-1 of their content (libFuzzer's convention), so reruns are stable.
# Inputs that once crashed a target are kept in tests/fuzz/regressions/<target>/ and copied in.
# Needs python3 (only to regenerate; run.sh replays the committed files).
#   tests/fuzz/make_corpus.sh [target...]     (default: every target)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
exec python3 "$here/make_corpus.py" "$root" "$@"
