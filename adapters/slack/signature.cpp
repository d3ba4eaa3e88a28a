#include "adapters/slack/signature.hpp"

#include <array>
#include <charconv>
#include <cstdint>
#include <limits>
#include <stdexcept>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

namespace adapters::slack {

namespace {

constexpr std::string_view kVersionPrefix = "v0=";
constexpr std::size_t kHexDigits = 64;  // SHA-256

std::string hex_lower(const unsigned char* data, std::size_t size) {
  static constexpr char digits[] = "0123456789abcdef";
  std::string out;
  out.reserve(size * 2);
  for (std::size_t i = 0; i < size; ++i) {
    out += digits[data[i] >> 4];
    out += digits[data[i] & 0x0F];
  }
  return out;
}

// Slack sends seconds as plain digits; anything else (sign, spaces, fractions) is
// refused rather than guessed at.
bool parse_seconds(std::string_view s, std::int64_t& out) {
  if (s.empty() || s.size() > 15) return false;
  for (char c : s)
    if (c < '0' || c > '9') return false;
  const auto r = std::from_chars(s.data(), s.data() + s.size(), out);
  return r.ec == std::errc{} && r.ptr == s.data() + s.size();
}

bool is_hex(char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }

}  // namespace

std::string_view to_string(SignatureCheck c) {
  switch (c) {
    case SignatureCheck::ok: return "ok";
    case SignatureCheck::no_secret: return "no signing secret configured";
    case SignatureCheck::missing_timestamp: return "missing timestamp";
    case SignatureCheck::malformed_timestamp: return "malformed timestamp";
    case SignatureCheck::stale_timestamp: return "stale timestamp";
    case SignatureCheck::future_timestamp: return "timestamp in the future";
    case SignatureCheck::missing_signature: return "missing signature";
    case SignatureCheck::malformed_signature: return "malformed signature";
    case SignatureCheck::bad_signature: return "bad signature";
  }
  return "unknown";
}

std::string sign(std::string_view signing_secret, std::string_view timestamp, std::string_view raw_body) {
  if (signing_secret.size() > static_cast<std::size_t>(std::numeric_limits<int>::max()))
    throw std::invalid_argument("slack: signing secret too long");
  std::string base;
  base.reserve(3 + timestamp.size() + 1 + raw_body.size());
  base.append("v0:").append(timestamp).append(":").append(raw_body);

  std::array<unsigned char, EVP_MAX_MD_SIZE> mac{};
  unsigned int mac_len = 0;
  const unsigned char* ok =
      HMAC(EVP_sha256(), signing_secret.data(), static_cast<int>(signing_secret.size()),
           reinterpret_cast<const unsigned char*>(base.data()), base.size(), mac.data(), &mac_len);
  if (ok == nullptr) throw std::runtime_error("slack: HMAC-SHA256 failed");
  return std::string{kVersionPrefix} + hex_lower(mac.data(), mac_len);
}

SignatureCheck verify_signature(std::string_view signing_secret, std::string_view timestamp_header,
                                std::string_view signature_header, std::string_view raw_body, bot::Instant now) {
  if (signing_secret.empty()) return SignatureCheck::no_secret;
  if (timestamp_header.empty()) return SignatureCheck::missing_timestamp;
  std::int64_t ts = 0;
  if (!parse_seconds(timestamp_header, ts)) return SignatureCheck::malformed_timestamp;

  const std::int64_t now_s = std::chrono::floor<std::chrono::seconds>(now).time_since_epoch().count();
  if (now_s - ts > kSignatureWindow.count()) return SignatureCheck::stale_timestamp;
  if (ts - now_s > kSignatureWindow.count()) return SignatureCheck::future_timestamp;

  if (signature_header.empty()) return SignatureCheck::missing_signature;
  if (signature_header.size() != kVersionPrefix.size() + kHexDigits ||
      signature_header.substr(0, kVersionPrefix.size()) != kVersionPrefix)
    return SignatureCheck::malformed_signature;
  std::string given{signature_header};
  for (std::size_t i = kVersionPrefix.size(); i < given.size(); ++i) {
    if (!is_hex(given[i])) return SignatureCheck::malformed_signature;
    if (given[i] >= 'A' && given[i] <= 'F') given[i] = static_cast<char>(given[i] - 'A' + 'a');
  }

  const std::string expected = sign(signing_secret, timestamp_header, raw_body);
  // Both strings are the same length here, so only the content can leak through timing,
  // and CRYPTO_memcmp does not let it.
  if (CRYPTO_memcmp(expected.data(), given.data(), expected.size()) != 0) return SignatureCheck::bad_signature;
  return SignatureCheck::ok;
}

}  // namespace adapters::slack
