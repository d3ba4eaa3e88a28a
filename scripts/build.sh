#!/usr/bin/env bash
# Configures and builds into build/<flavour> (release, test or asan). Usage:
#   scripts/build.sh FLAVOUR [ninja targets...]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
flavour="${1:?usage: build.sh release|test|asan [targets]}"
shift
# Every flavour is a unity build (CMake compiles the files of a target in batches of 8):
# the templates most files instantiate (nlohmann/json, fmt, std) are compiled once per
# batch instead of once per file. With the test flavour's lack of debug info (a third of
# its compile time; the asan flavour, which CI also runs, has it), a fresh CI run went
# from 34 to 20 minutes.
# The asan flavour keeps line tables only (-g1): enough for the sanitizers' stack traces
# (file and line), and 4.6 GB on disk instead of 5.2 (CI builds both flavours on one disk).
# For incremental work on a single file, configure a build of your own without
# -DCMAKE_UNITY_BUILD=ON.
case "$flavour" in
  release) args=(-DCMAKE_BUILD_TYPE=Release -DCOACHBOT_TESTS=OFF -DCOACHBOT_STATIC_DEPS=ON) ;;
  test)    args=(-DCMAKE_BUILD_TYPE=Release "-DCMAKE_CXX_FLAGS_RELEASE=-O2 -DNDEBUG" -DCOACHBOT_WERROR=ON) ;;
  asan)    args=(-DCMAKE_BUILD_TYPE=Debug -DCMAKE_CXX_FLAGS_DEBUG=-g1 -DCOACHBOT_SANITIZE=ON -DCOACHBOT_WERROR=ON) ;;
  *) echo "unknown flavour $flavour" >&2; exit 2 ;;
esac
dir="$root/build/$flavour"
[ -f "$dir/build.ninja" ] || cmake -S "$root" -B "$dir" -G Ninja -DCMAKE_UNITY_BUILD=ON "${args[@]}" >&2
cmake --build "$dir" -- "$@" >&2
