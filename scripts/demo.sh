#!/usr/bin/env bash
# The README's first command: installs what is missing, builds, and runs
# `instagram-oauth demo` — the whole sign-in flow against an embedded Instagram look-alike.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup-deps.sh build test
cmake --preset dev >/dev/null
cmake --build --preset dev --target instagram-oauth >/dev/null
exec build/dev/tools/instagram-oauth demo
