#!/usr/bin/env bash
# Counts the instructions Coachbot executes per event, under callgrind, for release
# binaries given on the command line: K = 100 users, 4 answers each (500 events), with
# the harness alone. Unlike events/s and CPU seconds, which move by ±20 % from run to
# run on a shared VM, the count repeats within 0.3 %, so it can tell a 1 % change.
# Under valgrind the bot runs ~50 times slower, so its batches differ from a real run:
# compare binaries with each other, not with the figures of run-peer.sh.
#   bash bench/instructions.sh BINARY...
# Needs valgrind (apt-get install valgrind) and the harness installed once by
# bench/run-peer.sh (same BENCH_WORK).
set -euo pipefail
[ $# -gt 0 ] || { echo "usage: instructions.sh BINARY..." >&2; exit 2; }
command -v valgrind >/dev/null || { echo "instructions: valgrind is not installed (apt-get install valgrind)" >&2; exit 2; }
root="$(cd "$(dirname "$0")/.." && pwd)"
work="${BENCH_WORK:-${TMPDIR:-/tmp}/coachbot-peer}"
[ -x "$work/run.sh" ] || { echo "instructions: no harness in $work; run bench/run-peer.sh once" >&2; exit 2; }
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
events=500
for bin in "$@"; do
  profile="$out/callgrind.$(basename "$bin").out"
  BOT_CMD="valgrind --tool=callgrind --callgrind-out-file=$profile $bin --config $root/bench/peer-config.json run --db \"\$BOT_DATA_DIR/coachbot.db\"" \
    BOT_NAME=coachbot BOT_CWD="$root" "$work/run.sh" --users 100 --steps 4 >"$out/run.log" 2>&1 ||
    { echo "instructions: the run of $bin failed; see its log:" >&2; tail -5 "$out/run.log" >&2; exit 1; }
  # The serving loop (io_context::run_one and below) leaves out opening the database.
  loop=$(callgrind_annotate --inclusive=yes "$profile" 2>/dev/null |
    awk '!found && /boost::asio::io_context::run_one\(\)/ {gsub(",", "", $1); print $1; found = 1}')
  [ -n "$loop" ] || { echo "instructions: no serving loop in the profile of $bin" >&2; exit 1; }
  echo "$bin: $((loop / events)) instructions per event ($loop in the serving loop for $events events)"
done
