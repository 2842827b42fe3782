#!/usr/bin/env bash
# clang-tidy (.clang-tidy) on the library: every file of src/ and, through a translation
# unit that includes it, every public header.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v clang-tidy >/dev/null 2>&1; then
  echo "tidy.sh: clang-tidy is not installed; skipping (scripts/setup-deps.sh quality)"
  exit 0
fi
if [[ ! -f build/dev/compile_commands.json ]]; then
  cmake --preset dev >/dev/null
fi
cmake --build --preset dev --target instagram_oauth instagram_oauth_header_check >/dev/null
files=(src/*.cpp tests/header_check.cpp)
# The PostgreSQL component, where it is built.
if grep -q 'src/postgres/token_store.cpp' build/dev/compile_commands.json; then
  files+=(src/postgres/*.cpp)
fi
# The Prometheus component, where it is built.
if grep -q 'src/prometheus/telemetry.cpp' build/dev/compile_commands.json; then
  files+=(src/prometheus/*.cpp)
fi
status=0
for file in "${files[@]}"; do
  if ! clang-tidy --quiet -p build/dev --extra-arg=-std=c++17 "$file" >build/tidy.out 2>&1; then
    status=1
    grep -E 'warning:|error:' build/tidy.out | head -40
  fi
done
if [[ $status -eq 0 ]]; then echo "tidy.sh: clean (${#files[@]} translation units)"; fi
exit $status
