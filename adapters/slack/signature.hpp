#pragma once
// Slack request signing, version v0: every HTTP request Slack sends (events,
// interactivity, slash commands) carries X-Slack-Request-Timestamp and
// X-Slack-Signature = "v0=" + hex(HMAC-SHA256(secret, "v0:" + ts + ":" + raw body)).
// Verifying it over the raw bytes, within five minutes of our clock, is what stops
// forged and replayed requests; `sign` is the same computation for tests and the fake
// Slack. Pure functions of their arguments (time is passed in); thread-safe.
#include <chrono>
#include <string>
#include <string_view>

#include "bot/clock.hpp"

namespace adapters::slack {

// How far the request timestamp may be from our clock, in either direction.
inline constexpr std::chrono::seconds kSignatureWindow{300};

// The outcome of a check; only `ok` lets a request through. The others are separate so
// that a log line tells a clock problem from a wrong secret from an attack.
enum class SignatureCheck {
  ok,
  no_secret,            // we have no signing secret: refuse everything
  missing_timestamp,
  malformed_timestamp,  // not a plain number of seconds
  stale_timestamp,      // older than the window: a replay, or our clock is fast
  future_timestamp,     // newer than the window: our clock is slow
  missing_signature,
  malformed_signature,  // not "v0=" followed by 64 hex digits
  bad_signature,        // well-formed but does not match: wrong secret or altered body
};

// "stale timestamp", "bad signature", ...: for the log line of a refused request.
std::string_view to_string(SignatureCheck c);

// `raw_body` must be the bytes exactly as received, before any form or JSON decoding.
SignatureCheck verify_signature(std::string_view signing_secret, std::string_view timestamp_header,
                                std::string_view signature_header, std::string_view raw_body, bot::Instant now);

// "v0=" + 64 lowercase hex digits.
std::string sign(std::string_view signing_secret, std::string_view timestamp, std::string_view raw_body);

}  // namespace adapters::slack
