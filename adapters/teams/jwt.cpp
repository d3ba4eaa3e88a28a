#include "adapters/teams/jwt.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <memory>
#include <set>

#include <jwt/base64.hpp>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>

namespace adapters::teams {

namespace {

constexpr std::string_view kRequiredAlgorithm = "RS256";
// Bot Framework keys are 2048-bit; anything much smaller is not a key we should trust.
constexpr int kMinRsaBits = 2048;

// One owner per OpenSSL object, so that every early return frees what it made.
struct BnFree {
  void operator()(BIGNUM* p) const { BN_free(p); }
};
struct ParamBldFree {
  void operator()(OSSL_PARAM_BLD* p) const { OSSL_PARAM_BLD_free(p); }
};
struct ParamFree {
  void operator()(OSSL_PARAM* p) const { OSSL_PARAM_free(p); }
};
struct PkeyCtxFree {
  void operator()(EVP_PKEY_CTX* p) const { EVP_PKEY_CTX_free(p); }
};
struct PkeyFree {
  void operator()(EVP_PKEY* p) const { EVP_PKEY_free(p); }
};
struct MdCtxFree {
  void operator()(EVP_MD_CTX* p) const { EVP_MD_CTX_free(p); }
};
using Bn = std::unique_ptr<BIGNUM, BnFree>;
using ParamBld = std::unique_ptr<OSSL_PARAM_BLD, ParamBldFree>;
using Params = std::unique_ptr<OSSL_PARAM, ParamFree>;
using PkeyCtx = std::unique_ptr<EVP_PKEY_CTX, PkeyCtxFree>;
using Pkey = std::unique_ptr<EVP_PKEY, PkeyFree>;
using MdCtx = std::unique_ptr<EVP_MD_CTX, MdCtxFree>;

bool is_base64url_char(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
}

// cpp-jwt's encoder: standard base64, then the URL alphabet without padding.
std::string base64url_encode(std::string_view bytes) {
  std::string s = jwt::base64_encode(bytes.data(), bytes.size());
  s.resize(jwt::base64_uri_encode(s.data(), s.size()));
  return s;
}

// Unpadded base64url (RFC 7515 §2) decoded strictly. cpp-jwt's decoder does not reject
// anything (an unknown byte even indexes past its table), so the alphabet and length are
// checked first, and the result is encoded again and compared: that refuses padding,
// and non-zero bits left over in the last character, which would otherwise let two
// different strings stand for the same token.
std::optional<std::string> base64url_decode(std::string_view text) {
  if (text.size() % 4 == 1) return std::nullopt;
  if (!std::all_of(text.begin(), text.end(), is_base64url_char)) return std::nullopt;
  std::string bytes = jwt::base64_uri_decode(text.data(), text.size());
  if (base64url_encode(bytes) != text) return std::nullopt;
  return bytes;
}

// nlohmann keeps the last of duplicate keys silently; a token whose JSON says two things
// is refused instead, so that no other parser can read it differently from us.
std::optional<nlohmann::json> parse_json_object(const std::string& text) {
  std::vector<std::set<std::string>> open_objects;
  bool duplicate = false;
  const nlohmann::json::parser_callback_t watch = [&](int /*depth*/, nlohmann::json::parse_event_t event,
                                                      nlohmann::json& parsed) {
    switch (event) {
      case nlohmann::json::parse_event_t::object_start: open_objects.emplace_back(); break;
      case nlohmann::json::parse_event_t::object_end:
        if (!open_objects.empty()) open_objects.pop_back();
        break;
      case nlohmann::json::parse_event_t::key:
        if (!open_objects.empty() && parsed.is_string() &&
            !open_objects.back().insert(parsed.get<std::string>()).second)
          duplicate = true;
        break;
      default: break;
    }
    return true;
  };
  nlohmann::json j = nlohmann::json::parse(text, watch, /*allow_exceptions=*/false);
  if (duplicate || !j.is_object()) return std::nullopt;
  return j;
}

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
         });
}

Bn to_bignum(const std::string& big_endian) {
  if (big_endian.empty() || big_endian.size() > 2048) return nullptr;  // 16384 bits is beyond any real key
  return Bn{BN_bin2bn(reinterpret_cast<const unsigned char*>(big_endian.data()), static_cast<int>(big_endian.size()),
                      nullptr)};
}

// The RSA public key of a JWK, from its modulus and exponent.
Pkey rsa_public_key(const SigningKey& key) {
  const auto n_bytes = base64url_decode(key.n);
  const auto e_bytes = base64url_decode(key.e);
  if (!n_bytes || !e_bytes) return nullptr;
  const Bn n = to_bignum(*n_bytes);
  const Bn e = to_bignum(*e_bytes);
  if (!n || !e) return nullptr;

  const ParamBld bld{OSSL_PARAM_BLD_new()};
  if (!bld || OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_RSA_N, n.get()) != 1 ||
      OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_RSA_E, e.get()) != 1)
    return nullptr;
  const Params params{OSSL_PARAM_BLD_to_param(bld.get())};
  if (!params) return nullptr;

  const PkeyCtx ctx{EVP_PKEY_CTX_new_from_name(nullptr, "RSA", nullptr)};
  if (!ctx || EVP_PKEY_fromdata_init(ctx.get()) != 1) return nullptr;
  EVP_PKEY* raw = nullptr;
  if (EVP_PKEY_fromdata(ctx.get(), &raw, EVP_PKEY_PUBLIC_KEY, params.get()) != 1) return nullptr;
  Pkey pkey{raw};
  if (EVP_PKEY_get_bits(pkey.get()) < kMinRsaBits) return nullptr;
  return pkey;
}

// RSASSA-PKCS1-v1_5 with SHA-256 (the default padding of an RSA key in EVP_DigestVerify).
bool rs256_verifies(const SigningKey& key, std::string_view signing_input, std::string_view signature) {
  if (signature.empty()) return false;
  const Pkey pkey = rsa_public_key(key);
  if (!pkey) return false;
  const MdCtx md{EVP_MD_CTX_new()};
  if (!md || EVP_DigestVerifyInit(md.get(), nullptr, EVP_sha256(), nullptr, pkey.get()) != 1) return false;
  return EVP_DigestVerify(md.get(), reinterpret_cast<const unsigned char*>(signature.data()), signature.size(),
                          reinterpret_cast<const unsigned char*>(signing_input.data()), signing_input.size()) == 1;
}

bool audience_matches(const nlohmann::json& aud, const std::string& app_id) {
  if (app_id.empty()) return false;
  const auto ours = [&](const nlohmann::json& v) {
    if (!v.is_string()) return false;
    const auto& s = v.get_ref<const std::string&>();
    return s == app_id || s == "api://" + app_id || s == "api://botid-" + app_id;
  };
  if (aud.is_array()) return std::any_of(aud.begin(), aud.end(), ours);
  return ours(aud);
}

std::optional<std::string> string_member(const nlohmann::json& object, const char* name) {
  const auto it = object.find(name);
  if (it == object.end() || !it->is_string()) return std::nullopt;
  return it->get<std::string>();
}

}  // namespace

std::string_view to_string(TokenCheck c) {
  switch (c) {
    case TokenCheck::ok: return "ok";
    case TokenCheck::missing: return "no Authorization header";
    case TokenCheck::bad_scheme: return "not a Bearer token";
    case TokenCheck::too_large: return "token too large";
    case TokenCheck::malformed: return "malformed token";
    case TokenCheck::bad_algorithm: return "algorithm is not RS256";
    case TokenCheck::no_key_id: return "no key id";
    case TokenCheck::bad_issuer: return "wrong issuer";
    case TokenCheck::unknown_key: return "unknown signing key";
    case TokenCheck::bad_signature: return "bad signature";
    case TokenCheck::not_endorsed: return "signing key does not endorse the channel";
    case TokenCheck::bad_audience: return "wrong audience";
    case TokenCheck::expired: return "expired";
    case TokenCheck::not_yet_valid: return "not yet valid";
    case TokenCheck::no_expiry: return "no expiry";
    case TokenCheck::service_url_mismatch: return "serviceurl claim does not match the activity";
  }
  return "unknown";
}

std::optional<KeySet> parse_jwks(const nlohmann::json& jwks) {
  if (!jwks.is_object()) return std::nullopt;
  const auto keys = jwks.find("keys");
  if (keys == jwks.end() || !keys->is_array()) return std::nullopt;
  KeySet out;
  for (const auto& k : *keys) {
    if (!k.is_object()) continue;
    if (string_member(k, "kty") != "RSA") continue;
    // A key published for encryption must not verify signatures.
    if (const auto use = string_member(k, "use"); k.contains("use") && use != "sig") continue;
    auto kid = string_member(k, "kid");
    auto n = string_member(k, "n");
    auto e = string_member(k, "e");
    if (!kid || kid->empty() || !n || n->empty() || !e || e->empty()) continue;
    SigningKey key;
    key.kid = std::move(*kid);
    key.n = std::move(*n);
    key.e = std::move(*e);
    if (const auto en = k.find("endorsements"); en != k.end() && en->is_array())
      for (const auto& channel : *en)
        if (channel.is_string()) key.endorsements.push_back(channel.get<std::string>());
    // The first key with a kid wins; a repeated kid cannot replace it.
    out.emplace(key.kid, std::move(key));
  }
  return out;
}

std::string ParsedToken::kid() const { return header.is_object() ? string_member(header, "kid").value_or("") : ""; }

std::variant<ParsedToken, TokenCheck> parse_bearer(std::optional<std::string_view> authorization,
                                                   const TokenRules& rules) {
  if (!authorization || authorization->empty()) return TokenCheck::missing;
  const std::string_view value = *authorization;
  // "Bearer <token>": one space, exactly two parts, the scheme in any case.
  const auto space = value.find(' ');
  if (space == std::string_view::npos || !iequals(value.substr(0, space), "Bearer")) return TokenCheck::bad_scheme;
  const std::string_view token = value.substr(space + 1);
  if (token.empty() || token.find_first_of(" \t") != std::string_view::npos) return TokenCheck::bad_scheme;
  if (token.size() > rules.max_token_bytes) return TokenCheck::too_large;

  const auto dot1 = token.find('.');
  const auto dot2 = dot1 == std::string_view::npos ? dot1 : token.find('.', dot1 + 1);
  if (dot2 == std::string_view::npos || token.find('.', dot2 + 1) != std::string_view::npos)
    return TokenCheck::malformed;
  const auto header_text = base64url_decode(token.substr(0, dot1));
  const auto payload_text = base64url_decode(token.substr(dot1 + 1, dot2 - dot1 - 1));
  // An empty signature decodes (to nothing) so that "alg":"none" is reported as the
  // algorithm problem it is; verify_token refuses the empty signature anyway.
  auto signature = base64url_decode(token.substr(dot2 + 1));
  if (!header_text || !payload_text || !signature) return TokenCheck::malformed;
  auto header = parse_json_object(*header_text);
  auto payload = parse_json_object(*payload_text);
  if (!header || !payload) return TokenCheck::malformed;

  if (string_member(*header, "alg") != kRequiredAlgorithm) return TokenCheck::bad_algorithm;
  const auto kid = string_member(*header, "kid");
  if (!kid || kid->empty()) return TokenCheck::no_key_id;
  if (string_member(*payload, "iss") != rules.issuer) return TokenCheck::bad_issuer;

  ParsedToken parsed;
  parsed.header = std::move(*header);
  parsed.payload = std::move(*payload);
  parsed.signing_input = std::string{token.substr(0, dot2)};
  parsed.signature = std::move(*signature);
  return parsed;
}

TokenCheck verify_token(const ParsedToken& token, const KeySet& keys, const TokenRules& rules,
                        std::string_view service_url, bot::Instant now) {
  const auto key = keys.find(token.kid());
  if (key == keys.end()) return TokenCheck::unknown_key;
  if (!rs256_verifies(key->second, token.signing_input, token.signature)) return TokenCheck::bad_signature;

  const auto& endorsed = key->second.endorsements;
  if (std::find(endorsed.begin(), endorsed.end(), rules.channel_id) == endorsed.end()) return TokenCheck::not_endorsed;

  const auto aud = token.payload.find("aud");
  if (aud == token.payload.end() || !audience_matches(*aud, rules.app_id)) return TokenCheck::bad_audience;

  // NumericDate may carry a fraction; seconds as double are exact far beyond 2100.
  const double now_s = static_cast<double>(bot::to_unix_ms(now)) / 1000.0;
  const auto skew = static_cast<double>(rules.skew.count());
  const auto exp = token.payload.find("exp");
  if (exp == token.payload.end() || !exp->is_number()) return TokenCheck::no_expiry;
  if (now_s > exp->get<double>() + skew) return TokenCheck::expired;
  if (const auto nbf = token.payload.find("nbf"); nbf != token.payload.end()) {
    if (!nbf->is_number()) return TokenCheck::malformed;
    if (now_s < nbf->get<double>() - skew) return TokenCheck::not_yet_valid;
  }

  // Byte for byte, trailing slash included: the claim is what binds the token to the
  // Connector we will send our own token to.
  const auto claim = string_member(token.payload, "serviceurl");
  if (!claim || service_url.empty() || *claim != service_url) return TokenCheck::service_url_mismatch;
  return TokenCheck::ok;
}

}  // namespace adapters::teams
