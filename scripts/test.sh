#!/usr/bin/env bash
# The README's test command: installs what is missing, then builds and runs every stage
#   dev       the whole suite (unit, loopback HTTP/HTTPS, command line, examples, packaging)
#   clang     the suite built with clang (warnings as errors), packaging and valgrind left out
#   asan      the suite under AddressSanitizer + UndefinedBehaviorSanitizer (leaks on)
#   tsan      the suite under ThreadSanitizer
#   browser   examples/web_login and coroutine_login driven by headless Chromium (puppeteer-core from npm)
#   fuzz      each libFuzzer target for a bounded time (clang)
#   tidy      clang-tidy on include/ and src/
#   coverage  line and branch coverage of include/ and src/, with the thresholds
#   docs      the API reference (Doxygen) from the public headers, a warning failing it
# Usage: scripts/test.sh [--only STAGE]...   (default, and always with CI=true: every stage)
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh

all_stages=(dev clang asan tsan browser fuzz tidy coverage docs)
stages=()
while [[ $# -gt 0 ]]; do
  case "$1" in
    --only) stages+=("$2"); shift 2 ;;
    -h|--help) sed -n '2,12p' "$0"; exit 0 ;;
    *) echo "test.sh: unknown argument $1 (see --help)" >&2; exit 2 ;;
  esac
done
if [[ ${#stages[@]} -eq 0 || "${CI:-}" == "true" ]]; then stages=("${all_stages[@]}"); fi

scripts/setup-deps.sh build test quality

mkdir -p build
passed=0
failed=0
skipped=0
failed_stages=()
started=$SECONDS

note() { printf '\n== %s ==\n' "$*"; }

# Configures, builds and runs ctest for one preset; adds ctest's counts to the totals.
ctest_stage() {
  local preset=$1; shift
  note "$preset: configure and build"
  build_preset "$preset" || return 1
  note "$preset: ctest"
  local out="build/$preset.ctest.txt" status=0
  ctest --preset "$preset" "$@" >"$out" 2>&1 || status=$?
  # Passing tests are counted below; failures and ctest's summary are shown whole.
  grep -vE '^\s+Start |Test +#[0-9]+: .* Passed' "$out" || true
  local summary
  summary=$(grep -E 'tests passed, [0-9]+ tests failed out of [0-9]+' "$out" | tail -1 || true)
  # A test whose server is missing is skipped (tests/support/skip.hpp); ctest lists it apart.
  local skips
  skips=$(grep -c '(Skipped)$' "$out" || true)
  if [[ $summary =~ ([0-9]+)\ tests\ failed\ out\ of\ ([0-9]+) ]]; then
    failed=$((failed + BASH_REMATCH[1]))
    passed=$((passed + BASH_REMATCH[2] - BASH_REMATCH[1] - skips))
    skipped=$((skipped + skips))
  fi
  # CI installs every server the tests use (setup-deps.sh): there, a skip hides a missing step.
  if [[ $skips -gt 0 && "${CI:-}" == "true" ]]; then
    echo "$preset: $skips tests skipped in CI; scripts/setup-deps.sh must install what they need"
    return 1
  fi
  return "$status"
}

browser_stage() {
  scripts/setup-deps.sh browser
  note "browser: npm ci (puppeteer-core)"
  (cd tests/browser && npm ci --no-audit --no-fund --loglevel=error) || return 1
  ctest_stage dev -L browser
}

# Every public class and function documented; Doxygen's warnings are errors (docs/Doxyfile.in).
docs_stage() {
  scripts/setup-deps.sh docs
  note "docs: doxygen"
  # Configuring again finds doxygen, installed just now on a fresh machine.
  build_preset dev --target docs
}

run_stage() {
  local stage=$1 t0=$SECONDS
  case "$stage" in
    dev) ctest_stage dev -LE browser ;;
    # What GCC builds, clang must build too (users on macOS and many on Linux use it).
    clang) ctest_stage clang -LE 'package|browser|valgrind' ;;
    # The packaging tests build uninstrumented consumers; the browser runs in its own stage.
    asan) ctest_stage asan -LE 'package|browser' ;;
    tsan) ctest_stage tsan -LE 'package|browser' ;;
    browser) browser_stage ;;
    fuzz) scripts/fuzz.sh ;;
    tidy) scripts/tidy.sh ;;
    coverage) scripts/coverage.sh ;;
    docs) docs_stage ;;
    *) echo "test.sh: unknown stage $stage" >&2; return 2 ;;
  esac
  local status=$?
  echo "stage $stage: $([[ $status -eq 0 ]] && echo ok || echo FAILED) in $((SECONDS - t0)) s"
  return $status
}

for stage in "${stages[@]}"; do
  if ! run_stage "$stage"; then failed_stages+=("$stage"); fi
done

echo
echo "test.sh: stages ${stages[*]} in $((SECONDS - started)) s"
if [[ ${#failed_stages[@]} -gt 0 ]]; then
  echo "test.sh: failed stages: ${failed_stages[*]}"
  [[ $failed -gt 0 ]] || failed=${#failed_stages[@]}
fi
echo "tests: $passed passed, $failed failed, $skipped skipped"
[[ ${#failed_stages[@]} -eq 0 ]]
