#!/usr/bin/env bash
# Configures and builds into build/<flavour> (release, test or asan). Usage:
#   scripts/build.sh FLAVOUR [ninja targets...]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
flavour="${1:?usage: build.sh release|test|asan [targets]}"
shift
case "$flavour" in
  release) args=(-DCMAKE_BUILD_TYPE=Release -DCOACHBOT_TESTS=OFF -DCOACHBOT_STATIC_DEPS=ON) ;;
  test)    args=(-DCMAKE_BUILD_TYPE=RelWithDebInfo -DCOACHBOT_WERROR=ON) ;;
  asan)    args=(-DCMAKE_BUILD_TYPE=Debug -DCOACHBOT_SANITIZE=ON -DCOACHBOT_WERROR=ON) ;;
  *) echo "unknown flavour $flavour" >&2; exit 2 ;;
esac
dir="$root/build/$flavour"
[ -f "$dir/build.ninja" ] || cmake -S "$root" -B "$dir" -G Ninja "${args[@]}" >&2
cmake --build "$dir" -- "$@" >&2
