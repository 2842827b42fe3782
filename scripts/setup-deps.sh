#!/usr/bin/env bash
# Installs what is missing from Debian's packages; quick and silent when all is present.
#   scripts/setup-deps.sh [build] [test] [quality] [bench] [browser] [docs]   (default: build test)
# Other systems, the same parts:
#   Homebrew: brew install cmake ninja pkg-config curl nlohmann-json catch2 cpp-httplib cli11 openssl google-benchmark
#   (the HTTP/2 tests and the benchmarks also run nginx with the echo module)
#   vcpkg:    vcpkg install curl nlohmann-json catch2 cpp-httplib cli11 openssl benchmark
set -euo pipefail

declare -A groups=(
  [build]="g++ cmake ninja-build pkg-config libcurl4-openssl-dev nlohmann-json3-dev libssl-dev ca-certificates"
  [test]="catch2 libcpp-httplib-dev libcli11-dev nginx-light libpq-dev prometheus-cpp-dev libboost1.81-dev postgresql python3-h2 faketime"
  [quality]="clang libclang-rt-14-dev clang-tidy clang-format valgrind gcovr"
  [bench]="libbenchmark-dev libboost-url1.81-dev nginx-light wrk valgrind"
  [browser]="chromium"
  [docs]="doxygen"
)
# Node and npm drive Chromium for the browser stage (puppeteer-core from npm); any install
# of them serves, so Debian's are asked for only when the commands are missing.
node_packages=()
command -v node >/dev/null 2>&1 || node_packages+=(nodejs)
command -v npm >/dev/null 2>&1 || node_packages+=(npm)

wanted=()
for group in "${@:-build test}"; do
  for name in $group; do
    [[ -n "${groups[$name]:-}" ]] || { echo "setup-deps: unknown group '$name'" >&2; exit 2; }
    wanted+=(${groups[$name]})
    if [[ $name == browser ]]; then wanted+=("${node_packages[@]}"); fi
  done
done

missing=()
for package in "${wanted[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$package" 2>/dev/null || true)
  [[ "$status" == "install ok installed" ]] || missing+=("$package")
done
[[ ${#missing[@]} -eq 0 ]] && exit 0

if ! command -v apt-get >/dev/null 2>&1; then
  echo "setup-deps: not a Debian system; install the equivalents of: ${missing[*]}" >&2
  echo "            (README.md lists the Homebrew and vcpkg names)" >&2
  exit 1
fi
if [[ $(id -u) -eq 0 ]]; then
  sudo=()
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
  sudo=(sudo)
else
  echo "setup-deps: missing packages; run as root:" >&2
  echo "  apt-get update && apt-get install -y --no-install-recommends ${missing[*]}" >&2
  exit 1
fi
echo "setup-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update -qq
"${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
