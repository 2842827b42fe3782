#!/usr/bin/env bash
# Builds with coverage, runs the suite, and prints line and branch coverage of include/
# and src/ (gcovr). Fails under 95% of lines or 85% of branches.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v gcovr >/dev/null 2>&1; then
  echo "coverage.sh: gcovr is not installed; skipping (scripts/setup-deps.sh quality)"
  exit 0
fi
log=build/coverage.log
mkdir -p build
if ! { cmake --preset coverage && cmake --build --preset coverage; } >"$log" 2>&1; then
  tail -n 40 "$log"
  echo "coverage.sh: the build failed (full log: $log)"
  exit 1
fi
find build/coverage -name '*.gcda' -delete
if ! ctest --preset coverage -LE package >build/coverage.ctest.txt 2>&1; then
  grep -E 'tests passed|Failed' build/coverage.ctest.txt
  echo "coverage.sh: the suite failed under coverage"
  exit 1
fi
# Objects that no test executes (the header check) would count the headers they include
# as unexecuted, with unannotated branches; every library object is linked into the tests.
find build/coverage -name '*.gcno' | while read -r note; do
  [[ -f "${note%.gcno}.gcda" ]] || rm -f "$note"
done
# Throw branches and the compiler's unreachable ones are not decisions of ours.
gcovr --root . --object-directory build/coverage --filter 'include/' --filter 'src/' \
  --exclude-throw-branches --exclude-unreachable-branches \
  --print-summary --fail-under-line 95 --fail-under-branch 85 \
  --txt build/coverage/coverage.txt --html-details build/coverage/coverage.html
