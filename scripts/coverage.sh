#!/usr/bin/env bash
# Builds with coverage, runs the suite, and prints line and branch coverage of include/
# and src/ (gcovr). Fails under 95% of lines or 85% of branches.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh
if ! command -v gcovr >/dev/null 2>&1; then
  echo "coverage.sh: gcovr is not installed; skipping (scripts/setup-deps.sh quality)"
  exit 0
fi
build_preset coverage
find build/coverage -name '*.gcda' -delete
if ! ctest --preset coverage -LE "package|valgrind" >build/coverage.ctest.txt 2>&1; then
  grep -E 'tests passed|Failed' build/coverage.ctest.txt
  echo "coverage.sh: the suite failed under coverage"
  exit 1
fi
# Objects that no test executes (the header check) would count the headers they include
# as unexecuted, with unannotated branches; every library object is linked into the tests.
find build/coverage -name '*.gcno' | while read -r note; do
  [[ -f "${note%.gcno}.gcda" ]] || rm -f "$note"
done
# Branches the compiler adds for exceptions and unreachable code are not decisions of ours.
# gcovr drops throw branches while parsing, before it merges the copies of an inline
# function that each translation unit emits; the copies that never ran carry no throw
# annotation, so the merge misaligns. Keep every branch with its merged throw flag in the
# JSON report, and leave the throw branches out when counting.
gcovr --root . --object-directory build/coverage --filter 'include/' --filter 'src/' \
  --exclude-unreachable-branches --json build/coverage/coverage.json \
  --html-details build/coverage/coverage.html 2>/dev/null
python3 - build/coverage/coverage.json <<'PY'
import json, sys
report = json.load(open(sys.argv[1]))
rows, total = [], [0, 0, 0, 0]
for source in sorted(report["files"], key=lambda f: f["file"]):
    lines = [l for l in source["lines"] if not l.get("gcovr/noncode") and not l.get("gcovr/excluded")]
    branches = [b for l in lines for b in l["branches"] if not b["throw"]]
    counts = [sum(l["count"] > 0 for l in lines), len(lines),
              sum(b["count"] > 0 for b in branches), len(branches)]
    total = [a + b for a, b in zip(total, counts)]
    rows.append((source["file"], counts))
pct = lambda hit, all: 100.0 * hit / all if all else 100.0
print(f"{'file':<52} {'lines':>14} {'branches':>14}")
for name, (lh, lt, bh, bt) in rows:
    print(f"{name:<52} {pct(lh, lt):6.1f}% {lh:>3}/{lt:<4} {pct(bh, bt):6.1f}% {bh:>3}/{bt:<4}")
line_pct, branch_pct = pct(total[0], total[1]), pct(total[2], total[3])
print(f"lines: {line_pct:.1f}% ({total[0]} out of {total[1]})")
print(f"branches: {branch_pct:.1f}% ({total[2]} out of {total[3]}, exception branches left out)")
if line_pct < 95 or branch_pct < 85:
    print("coverage.sh: under the thresholds (95% of lines, 85% of branches)")
    sys.exit(1)
PY
