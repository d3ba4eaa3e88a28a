// Slack request signing (v0): the published worked example verifies, and every way a
// forged, replayed or garbled request can differ is refused with its own reason.
#include <catch2/catch.hpp>

#include <fstream>
#include <sstream>
#include <string>

#include <nlohmann/json.hpp>

#include "adapters/slack/signature.hpp"

namespace {

using adapters::slack::SignatureCheck;
using adapters::slack::sign;
using adapters::slack::verify_signature;

nlohmann::json vector_fixture() {
  std::ifstream in{COACHBOT_SOURCE_DIR "/tests/fixtures/slack/signing/test_vector.slash_command.json"};
  REQUIRE(in.good());
  return nlohmann::json::parse(in);
}

bot::Instant at_unix_seconds(std::int64_t s) { return bot::from_unix_ms(s * 1000); }

constexpr std::int64_t kRequestTime = 1'700'000'000;
const std::string kSecret = "8f742231b10e8888abcd99yyyzzz85a5";
const std::string kBody = R"({"type":"event_callback","event_id":"Ev1"})";

}  // namespace

TEST_CASE("Slack's published signing example verifies at its own timestamp", "[slack][signature]") {
  const auto v = vector_fixture();
  const std::string secret = v.at("signing_secret");
  const std::string ts = v.at("headers").at("X-Slack-Request-Timestamp");
  const std::string sig = v.at("headers").at("X-Slack-Signature");
  const std::string body = v.at("raw_body");
  const std::int64_t at = v.at("verify_at_unix_time");
  CHECK(body.size() == 362);
  CHECK(v.at("basestring").get<std::string>() == "v0:" + ts + ":" + body);

  CHECK(sign(secret, ts, body) == sig);
  CHECK(verify_signature(secret, ts, sig, body, at_unix_seconds(at)) == SignatureCheck::ok);
  // Five minutes late is still fine; one second more is a replay.
  CHECK(verify_signature(secret, ts, sig, body, at_unix_seconds(at + 300)) == SignatureCheck::ok);
  CHECK(verify_signature(secret, ts, sig, body, at_unix_seconds(at + 301)) == SignatureCheck::stale_timestamp);
}

TEST_CASE("sign gives v0= and 64 lowercase hex digits", "[slack][signature]") {
  const std::string s = sign("secret", "1", "");
  REQUIRE(s.size() == 67);
  CHECK(s.substr(0, 3) == "v0=");
  for (char c : s.substr(3)) CHECK(((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')));
}

TEST_CASE("a request signed with our secret just now verifies, an uppercase hex signature too", "[slack][signature]") {
  const std::string ts = std::to_string(kRequestTime);
  const std::string sig = sign(kSecret, ts, kBody);
  CHECK(verify_signature(kSecret, ts, sig, kBody, at_unix_seconds(kRequestTime)) == SignatureCheck::ok);
  std::string upper = sig;
  for (std::size_t i = 3; i < upper.size(); ++i)
    if (upper[i] >= 'a' && upper[i] <= 'f') upper[i] = static_cast<char>(upper[i] - 'a' + 'A');
  CHECK(verify_signature(kSecret, ts, upper, kBody, at_unix_seconds(kRequestTime)) == SignatureCheck::ok);
}

TEST_CASE("timestamps outside five minutes either way are refused", "[slack][signature]") {
  const std::string ts = std::to_string(kRequestTime);
  const std::string sig = sign(kSecret, ts, kBody);
  CHECK(verify_signature(kSecret, ts, sig, kBody, at_unix_seconds(kRequestTime + 3600)) == SignatureCheck::stale_timestamp);
  CHECK(verify_signature(kSecret, ts, sig, kBody, at_unix_seconds(kRequestTime - 300)) == SignatureCheck::ok);
  CHECK(verify_signature(kSecret, ts, sig, kBody, at_unix_seconds(kRequestTime - 301)) == SignatureCheck::future_timestamp);
  // Milliseconds of our clock do not push an exactly-300-seconds-old request out.
  CHECK(verify_signature(kSecret, ts, sig, kBody, bot::from_unix_ms((kRequestTime + 300) * 1000 + 999)) ==
        SignatureCheck::ok);
}

TEST_CASE("a changed body, a wrong secret or another timestamp makes a bad signature", "[slack][signature]") {
  const std::string ts = std::to_string(kRequestTime);
  const std::string sig = sign(kSecret, ts, kBody);
  const auto now = at_unix_seconds(kRequestTime);
  CHECK(verify_signature(kSecret, ts, sig, kBody + " ", now) == SignatureCheck::bad_signature);
  CHECK(verify_signature(kSecret, ts, sig, R"({"type":"event_callback","event_id":"Ev2"})", now) ==
        SignatureCheck::bad_signature);
  CHECK(verify_signature("another-secret", ts, sig, kBody, now) == SignatureCheck::bad_signature);
  CHECK(verify_signature(kSecret, std::to_string(kRequestTime + 1), sig, kBody, now) == SignatureCheck::bad_signature);
  std::string flipped = sig;
  flipped.back() = flipped.back() == '0' ? '1' : '0';
  CHECK(verify_signature(kSecret, ts, flipped, kBody, now) == SignatureCheck::bad_signature);
}

TEST_CASE("malformed or missing headers are refused before any HMAC is compared", "[slack][signature]") {
  const std::string ts = std::to_string(kRequestTime);
  const std::string sig = sign(kSecret, ts, kBody);
  const auto now = at_unix_seconds(kRequestTime);
  CHECK(verify_signature(kSecret, "", sig, kBody, now) == SignatureCheck::missing_timestamp);
  for (const char* bad : {"abc", "-1700000000", "+1700000000", " 1700000000", "1700000000.5", "1e9",
                          "99999999999999999999999"}) {
    INFO(bad);
    CHECK(verify_signature(kSecret, bad, sig, kBody, now) == SignatureCheck::malformed_timestamp);
  }
  CHECK(verify_signature(kSecret, ts, "", kBody, now) == SignatureCheck::missing_signature);
  CHECK(verify_signature(kSecret, ts, sig.substr(3), kBody, now) == SignatureCheck::malformed_signature);
  CHECK(verify_signature(kSecret, ts, "v1=" + sig.substr(3), kBody, now) == SignatureCheck::malformed_signature);
  CHECK(verify_signature(kSecret, ts, sig.substr(0, 66), kBody, now) == SignatureCheck::malformed_signature);
  CHECK(verify_signature(kSecret, ts, sig + "0", kBody, now) == SignatureCheck::malformed_signature);
  CHECK(verify_signature(kSecret, ts, "v0=" + std::string(64, 'g'), kBody, now) ==
        SignatureCheck::malformed_signature);
}

TEST_CASE("without a signing secret nothing verifies, not even a request signed with the empty key",
          "[slack][signature]") {
  const std::string ts = std::to_string(kRequestTime);
  CHECK(verify_signature("", ts, sign("", ts, kBody), kBody, at_unix_seconds(kRequestTime)) == SignatureCheck::no_secret);
}

TEST_CASE("every refusal has a readable reason for the log", "[slack][signature]") {
  CHECK(adapters::slack::to_string(SignatureCheck::stale_timestamp) == "stale timestamp");
  CHECK(adapters::slack::to_string(SignatureCheck::future_timestamp) == "timestamp in the future");
  CHECK(adapters::slack::to_string(SignatureCheck::bad_signature) == "bad signature");
  CHECK(adapters::slack::to_string(SignatureCheck::missing_timestamp) == "missing timestamp");
}
