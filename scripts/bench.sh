#!/usr/bin/env bash
# Builds in Release and runs every benchmark, printing one report:
#   1. the non-network work next to Boost.URL (Google Benchmark, ns/op and allocations/op)
#   2. sequential exchanges, TokenExchanger against raw libcurl, over HTTP and HTTPS
#      and the instructions per exchange of both (callgrind)
#   3. threads sharing one TokenExchanger
#   4. many sign-ins at once against a server answering after 100 ms (HTTP/1.1 and HTTP/2),
#      the async API and blocking threads next to raw libcurl multi
#   5. nothing lost at any load: 100,000 exchanges with 1,000 in flight against nginx answering
#      at once (HTTP/2 reading the body first, answering first, rotating; HTTP/1.1), the async
#      API next to raw libcurl multi with the same never-twice settings; a burst of 10,000
#   6. the fleet's refresh pass: 100,000 due tokens in PostgreSQL, two refresher processes,
#      answers after 100 ms, next to the engine's bare refresh rate
#   7. the cost of compiling <instagram/oauth.hpp>
#   8. sign-ins from 1,000 coroutines (the Asio component) next to the callback API
# Client and server are pinned to one core (taskset -c 0) for 1 and 2: on a small virtual
# machine a wake-up across cores costs more than the difference being measured.
#   BENCH_REQUESTS (2000), BENCH_ROUNDS (5), BENCH_PER_THREAD (2000), BENCH_IN_FLIGHT (200),
#   BENCH_LATENCY_MS (100), BENCH_LOAD (100000), BENCH_LOAD_IN_FLIGHT (1000), BENCH_TOKENS (100000)
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh
scripts/setup-deps.sh build test bench
build_preset release --target micro_bench exchange_bench latency_bench load_bench fleet_bench \
  asio_bench
pin=(taskset -c 0)
command -v taskset >/dev/null 2>&1 || pin=()

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(uname -sr)"
echo
echo "## 1. Non-network work (pinned), against Boost.URL $(dpkg-query -W -f='${Version}' libboost-url1.81-dev 2>/dev/null)"
"${pin[@]}" build/release/bench/micro_bench --benchmark_min_time=1 --benchmark_repetitions=3 \
  --benchmark_report_aggregates_only=true 2>/dev/null | grep -E '^(Benchmark|-|[a-z_]+(\/[0-9]+)?_median)' || true
echo
echo "## 2. Exchanges over loopback (pinned), nginx $(nginx -v 2>&1 | cut -d/ -f2) answering a fixed token"
"${pin[@]}" build/release/bench/exchange_bench "${BENCH_REQUESTS:-2000}" "${BENCH_ROUNDS:-5}" 1 | sed '/^Threads/,$d'
echo "Instructions per sequential exchange (callgrind; the difference between 1,100 and 100"
echo "exchanges, over 1,000: start-up and nginx left out; raw sends the same User-Agent):"
instructions() {  # client protocol exchanges
  valgrind --tool=callgrind --callgrind-out-file=/dev/null \
    build/release/bench/exchange_bench --only "$1" "$2" "$3" 2>&1 | awk '/I +refs/ { gsub(",", "", $4); print $4 }'
}
echo "| protocol | TokenExchanger | raw libcurl | ratio |"
echo "|---|---:|---:|---:|"
for protocol in http https; do
  ours=$(($(instructions ours $protocol 1100) - $(instructions ours $protocol 100)))
  raw=$(($(instructions raw $protocol 1100) - $(instructions raw $protocol 100)))
  awk -v p="$protocol" -v a="$ours" -v b="$raw" 'BEGIN { printf "| %s | %d | %d | %.2f |\n", p, a / 1000, b / 1000, a / b }'
done
echo
echo "## 3. Threads (unpinned)"
build/release/bench/exchange_bench 1 1 "${BENCH_PER_THREAD:-2000}" | sed -n '/^Threads/,$p'
echo
echo "## 4. Many sign-ins at once (unpinned)"
build/release/bench/latency_bench "${BENCH_REQUESTS:-2000}" "${BENCH_IN_FLIGHT:-200}" \
  "${BENCH_LATENCY_MS:-100}"
echo
echo "## 5. Nothing lost at any load (unpinned)"
build/release/bench/load_bench "${BENCH_LOAD:-100000}" "${BENCH_LOAD_IN_FLIGHT:-1000}"
echo
echo "## 6. The fleet's refresh pass (unpinned), PostgreSQL $(pg_config --version 2>/dev/null | cut -d' ' -f2)"
build/release/bench/fleet_bench "${BENCH_TOKENS:-100000}" "${BENCH_IN_FLIGHT:-200}" "${BENCH_LATENCY_MS:-100}"
build/release/bench/fleet_bench --find-due "${BENCH_ROWS:-1000000}"
echo
echo "## 7. Compile time of one translation unit (median of 5, g++ -std=c++17 -O2 -c)"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
printf '#include <instagram/oauth.hpp>\nint main() { return 0; }\n' >"$tmp/library.cpp"
printf '#include <chrono>\n#include <optional>\n#include <string>\n#include <vector>\nint main() { return 0; }\n' >"$tmp/standard.cpp"
compile_ms() {
  local times=()
  for _ in 1 2 3 4 5; do
    local start end
    start=$(date +%s%N)
    g++ -std=c++17 -O2 -Iinclude -Ibuild/release/generated/include -DINSTAGRAM_OAUTH_STATIC_DEFINE -c "$1" -o "$tmp/out.o"
    end=$(date +%s%N)
    times+=($(((end - start) / 1000000)))
  done
  printf '%s\n' "${times[@]}" | sort -n | sed -n 3p
}
library=$(compile_ms "$tmp/library.cpp")
standard=$(compile_ms "$tmp/standard.cpp")
echo "| TU | ms |"
echo "|---|---|"
echo "| #include <instagram/oauth.hpp> | $library |"
echo "| <string> <vector> <optional> <chrono> | $standard |"
awk -v a="$library" -v b="$standard" 'BEGIN { printf "ratio: %.2f\n", a / b }'
echo
echo "## 8. Sign-ins from coroutines (unpinned), Boost.Asio"
build/release/bench/asio_bench "${BENCH_LOAD:-100000}" "${BENCH_LOAD_IN_FLIGHT:-1000}" 3
