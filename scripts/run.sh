#!/usr/bin/env bash
# Installs what is missing, builds, and runs coachbot with the given arguments
# (default: `run`, which with no platform credentials opens the local chat).
#   bash scripts/run.sh chat --as alice
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
bash "$root/scripts/setup.sh"
bash "$root/scripts/build.sh" release coachbot
[ $# -gt 0 ] || set -- run
exec "$root/build/release/coachbot" "$@"
