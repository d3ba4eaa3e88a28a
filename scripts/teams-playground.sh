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

transcript="$work/transcript.jsonl"
# Install (greeting), a typed command, the check-in card submitted first with an answer
# out of range (refused: the card comes back with the reason), then with good answers.
node "$drive/drive.js" "http://127.0.0.1:$port/api/messages" --json --quiet-ms 1500 \
  --install --say "checkin" \
  --submit '{"overall_progress":"150","learned":"Cards in Teams","next_step":"Ship it"}' \
  --submit '{"overall_progress":"60","learned":"Cards in Teams","next_step":"Ship it"}' > "$transcript"

fail() { echo "teams-playground: FAILED: $1" >&2; cat "$transcript" >&2; tail -20 "$work/bot.log" >&2; exit 1; }
grep -q '"ev":"to-bot".*"type":"installationUpdate".*"status":200' "$transcript" || fail "the install was not accepted"
grep -q "I'm Coachbot" "$transcript" || fail "no greeting after the install"
grep -q 'Weekly check-in' "$transcript" || fail "no check-in card"
grep -q 'from 0 to 100' "$transcript" || fail "the refused answer was not shown on the card"
grep -q 'Saved your check-in' "$transcript" || fail "the check-in was not saved"
grep -q '"ev":"from-bot","op":"message","status":200' "$transcript" || fail "the answered card was not updated"
if grep -q '"ev":"to-bot".*"status":[45]' "$transcript"; then fail "an activity was refused"; fi
echo "teams-playground: OK (transcript: $(grep -c '"ev":"to-bot"' "$transcript") activities to the bot, $(grep -c '"ev":"from-bot"' "$transcript") Connector calls)"
