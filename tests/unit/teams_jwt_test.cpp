// Validation of the Bot Framework's bearer tokens: a token minted the way Bot Service
// mints them passes, and every forgery or mistake from the protocol brief (section 4.2)
// is refused with the check that caught it, so the log line next to the 401 is useful.
// Keys are real RSA-2048 keys made once per run; nothing is fetched.
#include <catch2/catch.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <variant>

#include <nlohmann/json.hpp>

#include "adapters/teams/jwt.hpp"
#include "tests/support/jwt_minter.hpp"

namespace {

using adapters::teams::KeySet;
using adapters::teams::ParsedToken;
using adapters::teams::TokenCheck;
using adapters::teams::TokenRules;
using testing::JwtMinter;
using nlohmann::json;

const std::string kAppId = "f5d48856-5b42-41a0-8c3a-c5f944b679b0";
const std::string kServiceUrl = "https://smba.trafficmanager.net/emea/";
constexpr std::int64_t kNow = 1'763'790'000;

bot::Instant at(std::int64_t unix_s) { return bot::from_unix_ms(unix_s * 1000); }

// Bot Service's key, one that endorses only Web Chat, and an impostor who publishes
// nothing but reuses the real kid. Statics: RSA key generation is the slow part.
const JwtMinter& teams_key() {
  static const JwtMinter m{"bf-key-1"};
  return m;
}
const JwtMinter& webchat_key() {
  static const JwtMinter m{"bf-key-webchat", {"webchat", "directline"}};
  return m;
}
const JwtMinter& impostor() {
  static const JwtMinter m{"bf-key-1"};
  return m;
}

KeySet published_keys() {
  json jwks = teams_key().jwks();
  jwks["keys"].push_back(webchat_key().jwk());
  const auto keys = adapters::teams::parse_jwks(jwks);
  REQUIRE(keys);
  return *keys;
}

TokenRules rules() {
  TokenRules r;
  r.app_id = kAppId;
  return r;
}

json header() { return teams_key().bot_framework_header(); }
json payload() { return JwtMinter::bot_framework_payload(kAppId, kServiceUrl, at(kNow)); }

// Both halves in the order the service runs them.
TokenCheck check_header(std::optional<std::string> authorization, std::int64_t now = kNow,
                        const std::string& service_url = kServiceUrl) {
  std::optional<std::string_view> value;
  if (authorization) value = *authorization;
  const auto parsed = adapters::teams::parse_bearer(value, rules());
  if (const auto* refused = std::get_if<TokenCheck>(&parsed)) return *refused;
  return adapters::teams::verify_token(std::get<ParsedToken>(parsed), published_keys(), rules(), service_url, at(now));
}

TokenCheck check(const std::string& token, std::int64_t now = kNow, const std::string& service_url = kServiceUrl) {
  return check_header("Bearer " + token, now, service_url);
}

TokenCheck check_payload(const json& p) { return check(teams_key().token(header(), p)); }

}  // namespace

TEST_CASE("a token minted like Bot Service's passes", "[teams-jwt]") {
  const std::string token = teams_key().bot_framework_token(kAppId, kServiceUrl, at(kNow));
  CHECK(check(token) == TokenCheck::ok);

  const auto parsed = adapters::teams::parse_bearer("Bearer " + token, rules());
  REQUIRE(std::holds_alternative<ParsedToken>(parsed));
  const auto& t = std::get<ParsedToken>(parsed);
  CHECK(t.kid() == "bf-key-1");
  CHECK(t.payload["serviceurl"] == kServiceUrl);
  CHECK(t.signing_input == token.substr(0, token.rfind('.')));
  CHECK(t.signature.size() == 256u);
}

TEST_CASE("the Authorization header must be 'Bearer <token>'", "[teams-jwt]") {
  const std::string token = teams_key().bot_framework_token(kAppId, kServiceUrl, at(kNow));
  CHECK(check_header(std::nullopt) == TokenCheck::missing);
  CHECK(check_header("") == TokenCheck::missing);
  CHECK(check_header("Basic xyz") == TokenCheck::bad_scheme);
  CHECK(check_header("Basic " + token) == TokenCheck::bad_scheme);
  CHECK(check_header("Bearer") == TokenCheck::bad_scheme);
  CHECK(check_header("Bearer ") == TokenCheck::bad_scheme);
  CHECK(check_header("Bearer  " + token) == TokenCheck::bad_scheme);  // split on one space, two parts
  CHECK(check_header("Bearer " + token + " extra") == TokenCheck::bad_scheme);
  CHECK(check_header(token) == TokenCheck::bad_scheme);
  // The scheme is case-insensitive (RFC 7235).
  CHECK(check_header("bearer " + token) == TokenCheck::ok);
  CHECK(check_header("BEARER " + token) == TokenCheck::ok);
}

TEST_CASE("a token over the size cap is refused before it is decoded", "[teams-jwt]") {
  json p = payload();
  p["padding"] = std::string(20 * 1024, 'x');
  CHECK(check_payload(p) == TokenCheck::too_large);
  CHECK(check(std::string(16 * 1024 + 1, 'a')) == TokenCheck::too_large);
}

TEST_CASE("malformed tokens are refused as malformed", "[teams-jwt]") {
  const std::string good = teams_key().bot_framework_token(kAppId, kServiceUrl, at(kNow));
  const std::string h = JwtMinter::base64url(header().dump());
  const std::string p = JwtMinter::base64url(payload().dump());

  SECTION("two parts") { CHECK(check(h + "." + p) == TokenCheck::malformed); }
  SECTION("four parts") { CHECK(check(good + ".x") == TokenCheck::malformed); }
  SECTION("characters outside base64url") {
    CHECK(check(teams_key().token_from_segments(h + "!", p)) == TokenCheck::malformed);
    CHECK(check(teams_key().token_from_segments(h, "+" + p.substr(1))) == TokenCheck::malformed);
    CHECK(check(good + "*") == TokenCheck::malformed);
  }
  SECTION("padding is not part of base64url in a JWT") {
    const std::string padded = JwtMinter::base64url(R"({"alg":"RS256","kid":"bf-key-1"})") + "=";
    CHECK(check(teams_key().token_from_segments(padded, p)) == TokenCheck::malformed);
  }
  SECTION("an impossible base64 length") {
    // Five characters: one left over, which cannot encode a whole byte.
    CHECK(check(teams_key().token_from_segments("eyJhb", p)) == TokenCheck::malformed);
  }
  SECTION("payload not JSON") {
    CHECK(check(teams_key().token_from_segments(h, JwtMinter::base64url("not json"))) == TokenCheck::malformed);
    CHECK(check(teams_key().token_from_segments(h, JwtMinter::base64url(payload().dump() + "x"))) ==
          TokenCheck::malformed);
  }
  SECTION("payload JSON but not an object") {
    CHECK(check(teams_key().token_from_segments(h, JwtMinter::base64url("\"aud\""))) == TokenCheck::malformed);
  }
  SECTION("header an array") {
    const std::string array_header = JwtMinter::base64url(R"(["RS256","bf-key-1"])");
    CHECK(check(teams_key().token_from_segments(array_header, p)) == TokenCheck::malformed);
  }
  SECTION("a duplicate key: no second reading of the same token") {
    const std::string doubled = payload().dump().insert(1, R"("aud":"someone-else",)");
    CHECK(check(teams_key().token_from_segments(h, JwtMinter::base64url(doubled))) == TokenCheck::malformed);
  }
  SECTION("empty segments") {
    CHECK(check("..") == TokenCheck::malformed);
    CHECK(check("." + p + ".") == TokenCheck::malformed);
  }
}

TEST_CASE("only RS256 is accepted", "[teams-jwt]") {
  SECTION("alg none with an empty signature") {
    json h = header();
    h["alg"] = "none";
    CHECK(check(teams_key().token_with_signature(h, payload(), "")) == TokenCheck::bad_algorithm);
  }
  SECTION("HS256 keyed with the public key (algorithm confusion)") {
    json h = header();
    h["alg"] = "HS256";
    CHECK(check(teams_key().token_hs256(h, payload(), teams_key().public_key_pem())) == TokenCheck::bad_algorithm);
  }
  SECTION("RS512, even though the key could verify it") {
    json h = header();
    h["alg"] = "RS512";
    CHECK(check(teams_key().token(h, payload())) == TokenCheck::bad_algorithm);
  }
  SECTION("no alg at all") {
    json h = header();
    h.erase("alg");
    CHECK(check(teams_key().token(h, payload())) == TokenCheck::bad_algorithm);
  }
}

TEST_CASE("the header must name a key", "[teams-jwt]") {
  json h = header();
  h.erase("kid");
  CHECK(check(teams_key().token(h, payload())) == TokenCheck::no_key_id);
  h["kid"] = "";
  CHECK(check(teams_key().token(h, payload())) == TokenCheck::no_key_id);
  h["kid"] = 7;
  CHECK(check(teams_key().token(h, payload())) == TokenCheck::no_key_id);
}

TEST_CASE("the issuer must be Bot Service, checked before any key is looked up", "[teams-jwt]") {
  json p = payload();
  p["iss"] = "https://sts.windows.net/d6d49420-f39b-4df7-a1dc-d59a935871db/";
  CHECK(check_payload(p) == TokenCheck::bad_issuer);
  p["iss"] = "https://api.botframework.com/";
  CHECK(check_payload(p) == TokenCheck::bad_issuer);
  p.erase("iss");
  CHECK(check_payload(p) == TokenCheck::bad_issuer);
  // A token from elsewhere with a kid we do not know must not send us fetching keys.
  json h = header();
  h["kid"] = "never-published";
  p["iss"] = "https://example.com";
  CHECK(check(teams_key().token(h, p)) == TokenCheck::bad_issuer);
}

TEST_CASE("a kid that is not in the key set is unknown", "[teams-jwt]") {
  json h = header();
  h["kid"] = "rolled-out-yesterday";
  CHECK(check(teams_key().token(h, payload())) == TokenCheck::unknown_key);
}

TEST_CASE("the signature must verify with the published key", "[teams-jwt]") {
  SECTION("signed by another key that claims the same kid") {
    CHECK(check(impostor().bot_framework_token(kAppId, kServiceUrl, at(kNow))) == TokenCheck::bad_signature);
  }
  SECTION("a payload changed after signing") {
    const std::string good = teams_key().bot_framework_token(kAppId, kServiceUrl, at(kNow));
    json p = payload();
    p["aud"] = kAppId;
    p["serviceurl"] = "https://evil.example/";
    const std::string forged_payload = JwtMinter::base64url(p.dump());
    const auto dot1 = good.find('.');
    const auto dot2 = good.rfind('.');
    const std::string forged = good.substr(0, dot1 + 1) + forged_payload + good.substr(dot2);
    CHECK(check(forged) == TokenCheck::bad_signature);
  }
  SECTION("no signature") {
    CHECK(check(teams_key().token_with_signature(header(), payload(), "")) == TokenCheck::bad_signature);
  }
  SECTION("a signature of the wrong length") {
    CHECK(check(teams_key().token_with_signature(header(), payload(), std::string(255, '\x01'))) ==
          TokenCheck::bad_signature);
  }
}

TEST_CASE("the signing key must endorse msteams", "[teams-jwt]") {
  CHECK(check(webchat_key().bot_framework_token(kAppId, kServiceUrl, at(kNow))) == TokenCheck::not_endorsed);

  // A key with no endorsements at all is not good enough for Teams either.
  json jwks = teams_key().jwks();
  jwks["keys"][0]["endorsements"] = json::array();
  const auto keys = adapters::teams::parse_jwks(jwks);
  REQUIRE(keys);
  const auto parsed =
      adapters::teams::parse_bearer("Bearer " + teams_key().bot_framework_token(kAppId, kServiceUrl, at(kNow)), rules());
  REQUIRE(std::holds_alternative<ParsedToken>(parsed));
  CHECK(adapters::teams::verify_token(std::get<ParsedToken>(parsed), *keys, rules(), kServiceUrl, at(kNow)) ==
        TokenCheck::not_endorsed);
}

TEST_CASE("the audience must be our app id", "[teams-jwt]") {
  json p = payload();
  p["aud"] = "00000000-0000-0000-0000-000000000000";
  CHECK(check_payload(p) == TokenCheck::bad_audience);
  p["aud"] = "https://api.botframework.com";
  CHECK(check_payload(p) == TokenCheck::bad_audience);
  p["aud"] = json::array({"someone-else"});
  CHECK(check_payload(p) == TokenCheck::bad_audience);
  p["aud"] = 42;
  CHECK(check_payload(p) == TokenCheck::bad_audience);
  p.erase("aud");
  CHECK(check_payload(p) == TokenCheck::bad_audience);

  // The forms newer SDKs accept as well.
  p["aud"] = "api://" + kAppId;
  CHECK(check_payload(p) == TokenCheck::ok);
  p["aud"] = "api://botid-" + kAppId;
  CHECK(check_payload(p) == TokenCheck::ok);
  p["aud"] = json::array({"someone-else", kAppId});
  CHECK(check_payload(p) == TokenCheck::ok);
}

TEST_CASE("exp and nbf are checked with 300 s of skew", "[teams-jwt]") {
  SECTION("expired beyond the skew") {
    json p = payload();
    p["nbf"] = kNow - 4000;
    p["exp"] = kNow - 301;
    CHECK(check_payload(p) == TokenCheck::expired);
  }
  SECTION("expired within the skew still passes") {
    json p = payload();
    p["nbf"] = kNow - 4000;
    p["exp"] = kNow - 299;
    CHECK(check_payload(p) == TokenCheck::ok);
  }
  SECTION("the same token an hour later") {
    const std::string token = teams_key().bot_framework_token(kAppId, kServiceUrl, at(kNow));
    CHECK(check(token, kNow + 3600 + 300) == TokenCheck::ok);
    CHECK(check(token, kNow + 3600 + 301) == TokenCheck::expired);
  }
  SECTION("nbf in the future beyond the skew") {
    json p = payload();
    p["nbf"] = kNow + 301;
    CHECK(check_payload(p) == TokenCheck::not_yet_valid);
  }
  SECTION("nbf in the future within the skew passes") {
    json p = payload();
    p["nbf"] = kNow + 299;
    CHECK(check_payload(p) == TokenCheck::ok);
  }
  SECTION("no nbf is fine") {
    json p = payload();
    p.erase("nbf");
    CHECK(check_payload(p) == TokenCheck::ok);
  }
  SECTION("exp is required") {
    json p = payload();
    p.erase("exp");
    CHECK(check_payload(p) == TokenCheck::no_expiry);
    p["exp"] = std::to_string(kNow + 3600);  // a string is not a NumericDate
    CHECK(check_payload(p) == TokenCheck::no_expiry);
  }
}

TEST_CASE("the serviceurl claim must equal the activity's serviceUrl byte for byte", "[teams-jwt]") {
  const std::string token = teams_key().bot_framework_token(kAppId, kServiceUrl, at(kNow));
  CHECK(check(token, kNow, "https://smba.trafficmanager.net/emea") == TokenCheck::service_url_mismatch);
  CHECK(check(token, kNow, "https://smba.trafficmanager.net/amer/") == TokenCheck::service_url_mismatch);
  CHECK(check(token, kNow, "HTTPS://smba.trafficmanager.net/emea/") == TokenCheck::service_url_mismatch);
  CHECK(check(token, kNow, "") == TokenCheck::service_url_mismatch);

  const std::string no_slash =
      teams_key().bot_framework_token(kAppId, "https://smba.trafficmanager.net/emea", at(kNow));
  CHECK(check(no_slash) == TokenCheck::service_url_mismatch);

  json p = payload();
  p.erase("serviceurl");
  CHECK(check_payload(p) == TokenCheck::service_url_mismatch);
  p["serviceUrl"] = kServiceUrl;  // the claim's name is all lower case
  CHECK(check_payload(p) == TokenCheck::service_url_mismatch);
}

TEST_CASE("parse_jwks keeps RSA signing keys with n and e and skips the rest", "[teams-jwt]") {
  json jwks = teams_key().jwks();
  auto& keys = jwks["keys"];
  keys.push_back({{"kty", "EC"}, {"kid", "ec-key"}, {"crv", "P-256"}, {"x", "f83O"}, {"y", "x_FE"}});
  keys.push_back({{"kty", "oct"}, {"kid", "hmac-key"}, {"k", "c2VjcmV0"}});
  keys.push_back({{"kty", "RSA"}, {"kid", "no-modulus"}, {"e", "AQAB"}});
  keys.push_back({{"kty", "RSA"}, {"kid", "no-exponent"}, {"n", "sXch"}});
  keys.push_back({{"kty", "RSA"}, {"kid", "for-encryption"}, {"use", "enc"}, {"n", "sXch"}, {"e", "AQAB"}});
  keys.push_back({{"kty", "RSA"}, {"n", "sXch"}, {"e", "AQAB"}});  // no kid
  keys.push_back("not an object");
  keys.push_back(webchat_key().jwk());

  const auto set = adapters::teams::parse_jwks(jwks);
  REQUIRE(set);
  CHECK(set->size() == 2u);
  REQUIRE(set->count("bf-key-1") == 1u);
  const auto& k = set->at("bf-key-1");
  CHECK(k.kid == "bf-key-1");
  CHECK(k.n == teams_key().jwk()["n"]);
  CHECK(k.e == "AQAB");
  CHECK(k.endorsements == std::vector<std::string>{"msteams"});
  CHECK(set->at("bf-key-webchat").endorsements == std::vector<std::string>{"webchat", "directline"});

  CHECK_FALSE(adapters::teams::parse_jwks(json::array()));
  CHECK_FALSE(adapters::teams::parse_jwks(json{{"keys", "none"}}));
  CHECK_FALSE(adapters::teams::parse_jwks(json{{"issuer", "https://api.botframework.com"}}));
  const auto empty = adapters::teams::parse_jwks(json{{"keys", json::array()}});
  REQUIRE(empty);
  CHECK(empty->empty());
}

TEST_CASE("every check has a name for the log", "[teams-jwt]") {
  CHECK(adapters::teams::to_string(TokenCheck::ok) == "ok");
  CHECK(adapters::teams::to_string(TokenCheck::not_endorsed) == "signing key does not endorse the channel");
  CHECK(adapters::teams::to_string(TokenCheck::service_url_mismatch) ==
        "serviceurl claim does not match the activity");
}
