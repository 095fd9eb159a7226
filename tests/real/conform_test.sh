#!/usr/bin/env bash
# ctest real_conform_v1|v2: `drover conform remotedev` against the real server of a protocol
# version (start-server.sh): exit 0, no case FAILED, and every NON-STRICT verdict (a known
# real-world variant, docs/protocols/remotedev.md) carries a message saying what differs.
# Prints every case with its verdict, and the findings of the ones that are not OK.
#   tests/real/conform_test.sh v1|v2 DROVER_BINARY [--keep-out DIR]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
version=${1:?usage: conform_test.sh v1|v2 DROVER_BINARY [--keep-out DIR]}
drover=${2:?usage: conform_test.sh v1|v2 DROVER_BINARY [--keep-out DIR]}
keep_out=
[[ ${3:-} == --keep-out ]] && keep_out=${4:?--keep-out needs a directory}
fail() { echo "FAIL: $*" >&2; exit 1; }
trap 'echo "FAIL: unexpected error at line $LINENO: $BASH_COMMAND" >&2' ERR
[[ $version == v1 || $version == v2 ]] || fail "unknown version $version"
[[ -x $drover ]] || fail "not an executable: $drover"

work=$(mktemp -d "${TMPDIR:-/tmp}/drover-real-conform.XXXXXX")
state=
cleanup() {
  [[ -n $state ]] && "$here/stop-server.sh" "$state" || true
  if [[ -n $keep_out ]]; then mkdir -p "$keep_out" && cp -r "$work/out/." "$keep_out/" 2>/dev/null || true; fi
  rm -rf -- "$work"
}
trap cleanup EXIT

out=$("$here/start-server.sh" "$version" --lifetime 600)
echo "$out"
state=$(sed -n 's/^state //p' <<<"$out")
port=$(sed -n 's/^listening on 127\.0\.0\.1:\([0-9]*\)$/\1/p' <<<"$out")
[[ -n $port ]] || fail "start-server.sh printed no port"
target=ws://127.0.0.1:$port/socketcluster/

set +e
timeout --kill-after=10 500 "$drover" conform remotedev --target "$target" --protocol "$version" --out "$work/out"
status=$?
set -e
summary=$work/out/summary.json
[[ -f $summary ]] || fail "drover conform exited $status and wrote no summary.json"
"$here/node.sh" -e '
  const fs = require("fs");
  const [file, status] = [process.argv[1], Number(process.argv[2])];
  const cases = JSON.parse(fs.readFileSync(file, "utf8")).cases || [];
  const problems = [];
  const counts = {};
  console.log(`--- ${cases.length} cases against the real server`);
  for (const c of cases) {
    counts[c.verdict] = (counts[c.verdict] || 0) + 1;
    console.log(`${c.verdict.padEnd(13)} ${c.id} ${c.title}`);
    if (c.verdict !== "OK") {
      for (const f of c.findings) if (f.verdict !== "OK") console.log(`    ${f.verdict}: ${f.message}`);
    }
    if (c.verdict === "FAILED") problems.push(`case ${c.id} FAILED`);
    if (c.verdict === "NON-STRICT") {
      const said = c.findings.filter((f) => f.verdict === "NON-STRICT" && f.message.trim().length > 0);
      if (said.length === 0) problems.push(`case ${c.id} is NON-STRICT without a finding saying what differs`);
    }
    for (const f of c.findings) {
      if (f.verdict === "NON-STRICT" && f.message.trim().length === 0) problems.push(`case ${c.id}: a NON-STRICT finding without a message`);
    }
  }
  console.log(`--- verdicts: ${JSON.stringify(counts)}; drover conform exited ${status}`);
  if (cases.length === 0) problems.push("no case ran");
  if (status !== 0) problems.push(`drover conform exited ${status}`);
  if (problems.length) { console.error(`FAIL: ${problems.join("; ")}`); process.exit(1); }
  console.log(`PASS: ${cases.length} cases, 0 FAILED, every NON-STRICT verdict says what differs`);
' "$summary" "$status"
