#pragma once
// Validation of the Bot Framework's bearer tokens on POST /api/messages, exactly as
// the Bot Connector authentication rules ask: RS256 only, issuer, a key from the
// OpenID JWKS that endorses the channel, audience = our app id, exp/nbf with skew, and
// the `serviceurl` claim equal to the activity's serviceUrl byte for byte. Every
// refusal names the check that failed, for the log line next to the 401. Base64url,
// JSON and RSA come from cpp-jwt's base64, nlohmann and OpenSSL; nothing hand-rolled.
// Pure functions over values; thread-safe.
#include <chrono>
#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include <nlohmann/json.hpp>

#include "bot/clock.hpp"

namespace adapters::teams {

// Which check refused a token (ok when none did).
enum class TokenCheck {
  ok,
  missing,          // no Authorization header
  bad_scheme,       // not "Bearer <token>"
  too_large,        // over the size cap
  malformed,        // not three base64url parts of JSON objects, or a bad signature encoding
  bad_algorithm,    // alg is not RS256 (none, HS256, RS512, ...)
  no_key_id,        // header without kid
  bad_issuer,
  unknown_key,      // kid not in the key set
  bad_signature,
  not_endorsed,     // the key does not endorse the channel
  bad_audience,
  expired,
  not_yet_valid,
  no_expiry,
  service_url_mismatch,  // serviceurl claim missing or not equal to the activity's
};
std::string_view to_string(TokenCheck c);

// One RSA signing key of the JWKS (kty RSA with n and e; others are skipped).
struct SigningKey {
  std::string kid;
  std::string n;  // base64url big-endian modulus
  std::string e;  // base64url big-endian exponent
  std::vector<std::string> endorsements;
};

// The keys of a JWKS document ({"keys":[...]}) by kid. Keys that are not RSA or lack
// n/e are left out; nullopt when the document is not a JWKS at all.
using KeySet = std::map<std::string, SigningKey>;
std::optional<KeySet> parse_jwks(const nlohmann::json& jwks);

// A token split and decoded, not yet trusted.
struct ParsedToken {
  nlohmann::json header;
  nlohmann::json payload;
  std::string signing_input;  // base64url(header) "." base64url(payload), as received
  std::string signature;      // raw bytes
  std::string kid() const;
};

struct TokenRules {
  std::string app_id;                                   // audience; "api://<id>" and "api://botid-<id>" also pass
  std::string issuer = "https://api.botframework.com";
  std::string channel_id = "msteams";                   // must be endorsed by the signing key
  std::chrono::seconds skew{300};
  std::size_t max_token_bytes = 16 * 1024;
};

// Steps that need no key: header "Bearer <token>" (scheme case-insensitive), size,
// three base64url parts of JSON objects, alg RS256, a kid, the issuer. The issuer is
// checked here so that tokens from elsewhere never make us fetch keys.
std::variant<ParsedToken, TokenCheck> parse_bearer(std::optional<std::string_view> authorization,
                                                   const TokenRules& rules);

// The rest, with the key set: key by kid (unknown_key when absent, so the caller can
// refresh the keys once and try again), the RSA-SHA256 signature, endorsement of
// rules.channel_id, audience, exp/nbf with skew (exp required), and the serviceurl
// claim equal to `service_url` (the activity's serviceUrl, as received).
TokenCheck verify_token(const ParsedToken& token, const KeySet& keys, const TokenRules& rules,
                        std::string_view service_url, bot::Instant now);

}  // namespace adapters::teams
