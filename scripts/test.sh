#!/usr/bin/env bash
# Installs what is missing, builds everything and runs every test through CTest.
#   bash scripts/test.sh          # the normal build
#   bash scripts/test.sh asan     # AddressSanitizer + UndefinedBehaviorSanitizer
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
flavour="${1:-test}"
bash "$root/scripts/setup.sh"
bash "$root/scripts/build.sh" "$flavour"
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"
ctest --test-dir "$root/build/$flavour" --output-on-failure -j 2
