#!/usr/bin/env bash
# Coachbot against the Bolt-for-JavaScript peer on the shared fake Slack, in the same
# invocation (../shared/peer, see its README). Builds the release binary, copies the
# harness to a scratch folder (its npm install writes node_modules), installs it once,
# and runs it. Extra arguments go to the harness; the default is the issue's table:
#   bash bench/run-peer.sh                       # K = 1,10,100,1000, 3 repeats, both bots
#   bash bench/run-peer.sh --users 1000 --rate-limit-fraction 0.05 --compare
# With --floor first, bench/null_bot (acks and answers at once, stores nothing) runs in
# Coachbot's place: what the harness and the transport cost by themselves.
#   bash bench/run-peer.sh --floor --users 1000 --steps 4 --repeat 3 --compare
set -euo pipefail
floor=0
if [ "${1:-}" = --floor ]; then floor=1; shift; fi
root="$(cd "$(dirname "$0")/.." && pwd)"
peer_src="${PEER_DIR:-$root/../shared/peer}"
work="${BENCH_WORK:-${TMPDIR:-/tmp}/coachbot-peer}"
[ -d "$peer_src" ] || { echo "bench: no peer harness at $peer_src (set PEER_DIR)" >&2; exit 2; }
bash "$root/scripts/build.sh" release coachbot null_bot
mkdir -p "$work"
cp -r "$peer_src/." "$work/"
if [ ! -d "$work/fake-slack/node_modules" ] || [ ! -d "$work/bolt-peer/node_modules" ]; then
  (cd "$work" && ./setup.sh)
fi
[ $# -gt 0 ] || set -- --users 1,10,100,1000 --steps 4 --repeat 3 --compare
# $BOT_DATA_DIR is expanded by the harness' shell, once per run.
if [ "$floor" = 1 ]; then
  export BOT_CMD="$root/build/release/bench/null_bot" BOT_NAME=null-bot
else
  export BOT_CMD="$root/build/release/coachbot --config $root/bench/peer-config.json run --db \"\$BOT_DATA_DIR/coachbot.db\""
  export BOT_NAME=coachbot
fi
export BOT_CWD="$root"
exec "$work/run.sh" "$@"
