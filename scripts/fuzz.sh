#!/usr/bin/env bash
# Builds the libFuzzer targets with clang and runs each for a bounded time on a copy of
# its seed corpus. A crash fails the run; copy the artifact into
# tests/fuzz/regressions/<target>/ so that every build replays it.
#   FUZZ_SECONDS (default 30) per target; FUZZ_RUNS to bound by executions instead.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh
if ! command -v clang++ >/dev/null 2>&1; then
  echo "fuzz.sh: clang++ is not installed; skipping the fuzzers (scripts/setup-deps.sh quality)"
  exit 0
fi
seconds=${FUZZ_SECONDS:-30}
build_preset fuzz
status=0
for target in redirect_parser roundtrip token_response signed_request signed_state secret_mask webhooks \
  curl_text; do
  work=build/fuzz/work/$target
  artifacts=build/fuzz/artifacts/$target
  rm -rf "$work"
  mkdir -p "$work" "$artifacts"
  cp tests/fuzz/corpus/$target/* "$work"/
  limit=(-max_total_time="$seconds")
  [[ -n "${FUZZ_RUNS:-}" ]] && limit=(-runs="$FUZZ_RUNS")
  if build/fuzz/tests/fuzz/fuzz_$target "${limit[@]}" -max_len=4096 -timeout=10 -rss_limit_mb=2048 \
      -artifact_prefix="$artifacts/" -print_final_stats=1 "$work" >"build/fuzz/$target.log" 2>&1; then
    runs=$(grep -m1 'stat::number_of_executed_units' "build/fuzz/$target.log" | awk '{print $2}')
    echo "fuzz $target: ${runs:-?} executions, no finding"
  else
    status=1
    tail -n 40 "build/fuzz/$target.log"
    echo "fuzz $target: FINDING (artifacts in $artifacts)"
  fi
done
exit $status
