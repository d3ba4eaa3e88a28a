#!/usr/bin/env bash
# Compares release binaries of Coachbot at K = 1000 with the harness alone (no Bolt),
# alternating them run by run, so that a slow or fast spell of the machine falls on all
# of them alike. Prints each binary's events/s and bot CPU per run, and their medians.
#   bash bench/interleave.sh N BINARY...
# e.g. keep the release binary of two commits as /tmp/coachbot-old and -new, then
#   bash bench/interleave.sh 5 /tmp/coachbot-old /tmp/coachbot-new
# The harness must have been installed once by bench/run-peer.sh (same BENCH_WORK).
set -euo pipefail
runs="${1:?usage: interleave.sh N BINARY...}"
shift
[ $# -gt 0 ] || { echo "interleave: name at least one binary" >&2; exit 2; }
root="$(cd "$(dirname "$0")/.." && pwd)"
work="${BENCH_WORK:-${TMPDIR:-/tmp}/coachbot-peer}"
[ -x "$work/run.sh" ] || { echo "interleave: no harness in $work; run bench/run-peer.sh once" >&2; exit 2; }
declare -A events cpu
for _ in $(seq "$runs"); do
  for bin in "$@"; do
    # The table row of the harness: bot K S ok wall_s ev/s ... cpu_s (last column).
    row=$(BOT_CMD="$bin --config $root/bench/peer-config.json run --db \"\$BOT_DATA_DIR/coachbot.db\"" \
      BOT_NAME=coachbot BOT_CWD="$root" "$work/run.sh" --users 1000 --steps 4 2>&1 | grep -A1 '^bot ' | tail -1)
    events[$bin]+="$(awk '{print $6}' <<<"$row") "
    cpu[$bin]+="$(awk '{print $NF}' <<<"$row") "
  done
done
median() { tr ' ' '\n' | grep . | sort -n | awk '{v[NR] = $1} END {print v[int((NR + 1) / 2)]}'; }
for bin in "$@"; do
  echo "$bin: events/s ${events[$bin]}(median $(median <<<"${events[$bin]}")); bot CPU s ${cpu[$bin]}(median $(median <<<"${cpu[$bin]}"))"
done
