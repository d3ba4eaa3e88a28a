#!/usr/bin/env bash
# The manual Teams check against a real Microsoft client: starts Coachbot in Teams dev
# mode on a fresh database, drives Microsoft 365 Agents Playground (npm, pinned in
# tests/playground/package.json) through install -> greeting -> onboarding by text ->
# a check-in card submitted, and fails unless the expected replies come back.
# Needs Node >= 20 and, the first time, the npm registry. Not part of CI (the npm
# install is not offline). Usage: bash scripts/teams-playground.sh [path/to/coachbot]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
bin="${1:-$root/build/release/coachbot}"
[ -x "$bin" ] || { bash "$root/scripts/build.sh" release coachbot; bin="$root/build/release/coachbot"; }
drive="$root/tests/playground"
[ -d "$drive/node_modules/@microsoft/m365agentsplayground" ] || (cd "$drive" && npm install --no-audit --no-fund >/dev/null)

work="$(mktemp -d)"
trap 'kill "$bot_pid" 2>/dev/null || true; wait "$bot_pid" 2>/dev/null || true; rm -rf "$work"' EXIT
port="${COACHBOT_PLAYGROUND_PORT:-3978}"
cat > "$work/config.json" <<JSON
{ "database": { "path": "$work/coachbot.db" },
  "http": { "address": "127.0.0.1", "port": $port },
  "teams": { "dev_mode": true },
  "log": { "level": "info" } }
JSON
env -u MICROSOFT_APP_ID -u SLACK_BOT_TOKEN "$bin" --config "$work/config.json" run > "$work/bot.log" 2>&1 < /dev/null &
bot_pid=$!
for _ in $(seq 100); do
  curl -sf "http://127.0.0.1:$port/readyz" >/dev/null 2>&1 && break
  kill -0 "$bot_pid" 2>/dev/null || { cat "$work/bot.log"; echo "coachbot did not start" >&2; exit 1; }
  sleep 0.1
done

transcript="$work/transcript.txt"
node "$drive/drive.js" "http://127.0.0.1:$port/api/messages" --install --say "hello" --say "Ada" \
  --say "checkin" --submit '{}' --quiet-ms 1500 | tee "$transcript"

expect() {
  grep -q -- "$1" "$transcript" || { echo "FAILED: expected $2 in the transcript" >&2; cat "$work/bot.log" >&2; exit 1; }
}
expect "installationUpdate.*HTTP 200" "the install to be accepted"
expect "<- bot.*HTTP 20" "Coachbot to answer through the Connector"
expect "cards=" "an Adaptive Card"
if grep -q -- "-> bot.*HTTP [45]" "$transcript"; then echo "FAILED: an activity was refused" >&2; exit 1; fi
echo "teams-playground: OK"
