#pragma once
// Mints JSON Web Tokens the way the Bot Framework does, for the tests of our validator
// and for the fake Bot Framework: an RSA-2048 key made on construction (OpenSSL), its
// JWKS entry (n and e base64url, an `endorsements` list like Microsoft's keys carry),
// and RS256 tokens signed with it (EVP_DigestSign, RSASSA-PKCS1-v1_5 + SHA-256). The
// other helpers build the forgeries a validator must refuse: any signature bytes, an
// HS256 token keyed with our public key (the classic algorithm confusion), raw segments.
// Key generation costs tens of milliseconds: make one minter per test binary (a static)
// rather than one per test case.
// Thread-safety: const members may be used from several threads; construction and
// destruction are not synchronised.
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "bot/clock.hpp"

namespace testing {

class JwtMinter {
 public:
  static constexpr const char* kBotFrameworkIssuer = "https://api.botframework.com";

  // A fresh RSA-2048 key pair named `kid`, endorsing the given channels.
  explicit JwtMinter(std::string kid = "test-key-1", std::vector<std::string> endorsements = {"msteams"});
  ~JwtMinter();
  JwtMinter(JwtMinter&&) noexcept;
  JwtMinter& operator=(JwtMinter&&) noexcept;
  JwtMinter(const JwtMinter&) = delete;
  JwtMinter& operator=(const JwtMinter&) = delete;

  const std::string& kid() const { return kid_; }
  const std::vector<std::string>& endorsements() const { return endorsements_; }

  // {"kty":"RSA","use":"sig","kid","n","e","x5t","endorsements":[...]}
  nlohmann::json jwk() const;
  // {"keys":[jwk()]}
  nlohmann::json jwks() const;
  // The public key as PEM (SubjectPublicKeyInfo), e.g. as the "secret" of an HS256 forgery.
  std::string public_key_pem() const;

  // base64url(header) "." base64url(payload) "." base64url(RS256 signature), signed
  // properly with this key; the header is used as given (alg and kid are not filled in).
  std::string token(const nlohmann::json& header, const nlohmann::json& payload) const;
  // The same two segments with any signature bytes (empty gives "h.p.").
  std::string token_with_signature(const nlohmann::json& header, const nlohmann::json& payload,
                                   std::string_view signature_bytes) const;
  // Signed with HMAC-SHA256 under `secret` (the header is used as given).
  std::string token_hs256(const nlohmann::json& header, const nlohmann::json& payload, std::string_view secret) const;
  // Raw, already encoded segments, RS256-signed over "header.payload" as given, so
  // that malformed segments still carry a valid signature.
  std::string token_from_segments(std::string_view header_segment, std::string_view payload_segment) const;
  // The RS256 signature over arbitrary bytes.
  std::string sign(std::string_view signing_input) const;

  // A Bot Framework header: {"alg":"RS256","kid":kid(),"typ":"JWT","x5t":...}.
  nlohmann::json bot_framework_header() const;
  // {"serviceurl", "nbf": now, "exp": now + 1 h, "iss": api.botframework.com, "aud": app_id}
  static nlohmann::json bot_framework_payload(const std::string& app_id, const std::string& service_url,
                                              bot::Instant now);
  // token(bot_framework_header(), bot_framework_payload(...)): what Teams sends.
  std::string bot_framework_token(const std::string& app_id, const std::string& service_url, bot::Instant now) const;

  // Unpadded base64url (cpp-jwt's encoder).
  static std::string base64url(std::string_view bytes);

 private:
  struct Key;
  std::unique_ptr<Key> key_;
  std::string kid_;
  std::vector<std::string> endorsements_;
};

}  // namespace testing
