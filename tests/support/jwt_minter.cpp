#include "tests/support/jwt_minter.hpp"

#include <array>
#include <stdexcept>

#include <jwt/base64.hpp>
#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>

namespace testing {

namespace {

struct PkeyFree {
  void operator()(EVP_PKEY* p) const { EVP_PKEY_free(p); }
};
struct PkeyCtxFree {
  void operator()(EVP_PKEY_CTX* p) const { EVP_PKEY_CTX_free(p); }
};
struct MdCtxFree {
  void operator()(EVP_MD_CTX* p) const { EVP_MD_CTX_free(p); }
};
struct BnFree {
  void operator()(BIGNUM* p) const { BN_free(p); }
};
struct BioFree {
  void operator()(BIO* p) const { BIO_free(p); }
};
using Pkey = std::unique_ptr<EVP_PKEY, PkeyFree>;
using PkeyCtx = std::unique_ptr<EVP_PKEY_CTX, PkeyCtxFree>;
using MdCtx = std::unique_ptr<EVP_MD_CTX, MdCtxFree>;
using Bn = std::unique_ptr<BIGNUM, BnFree>;
using Bio = std::unique_ptr<BIO, BioFree>;

[[noreturn]] void fail(const char* what) { throw std::runtime_error(std::string{"jwt minter: "} + what); }

const unsigned char* bytes_of(std::string_view s) { return reinterpret_cast<const unsigned char*>(s.data()); }

Pkey generate_rsa_2048() {
  const PkeyCtx ctx{EVP_PKEY_CTX_new_from_name(nullptr, "RSA", nullptr)};
  if (!ctx || EVP_PKEY_keygen_init(ctx.get()) != 1 || EVP_PKEY_CTX_set_rsa_keygen_bits(ctx.get(), 2048) != 1)
    fail("cannot set up RSA key generation");
  EVP_PKEY* raw = nullptr;
  if (EVP_PKEY_generate(ctx.get(), &raw) != 1) fail("RSA key generation failed");
  return Pkey{raw};
}

// A big-endian unsigned integer parameter of the key (n or e), as bytes.
std::string bignum_param(const EVP_PKEY* pkey, const char* name) {
  BIGNUM* raw = nullptr;
  if (EVP_PKEY_get_bn_param(pkey, name, &raw) != 1) fail("cannot read an RSA parameter");
  const Bn bn{raw};
  std::string out(static_cast<std::size_t>(BN_num_bytes(bn.get())), '\0');
  BN_bn2bin(bn.get(), reinterpret_cast<unsigned char*>(out.data()));
  return out;
}

}  // namespace

struct JwtMinter::Key {
  Pkey pkey;
};

JwtMinter::JwtMinter(std::string kid, std::vector<std::string> endorsements)
    : key_(std::make_unique<Key>(Key{generate_rsa_2048()})), kid_(std::move(kid)),
      endorsements_(std::move(endorsements)) {}

JwtMinter::~JwtMinter() = default;
JwtMinter::JwtMinter(JwtMinter&&) noexcept = default;
JwtMinter& JwtMinter::operator=(JwtMinter&&) noexcept = default;

std::string JwtMinter::base64url(std::string_view bytes) {
  std::string s = jwt::base64_encode(bytes.data(), bytes.size());
  s.resize(jwt::base64_uri_encode(s.data(), s.size()));
  return s;
}

std::string JwtMinter::public_key_pem() const {
  const Bio bio{BIO_new(BIO_s_mem())};
  if (!bio || PEM_write_bio_PUBKEY(bio.get(), key_->pkey.get()) != 1) fail("cannot write the public key");
  std::string pem(BIO_ctrl_pending(bio.get()), '\0');
  if (BIO_read(bio.get(), pem.data(), static_cast<int>(pem.size())) != static_cast<int>(pem.size()))
    fail("cannot read the public key");
  return pem;
}

nlohmann::json JwtMinter::jwk() const {
  const std::string n = bignum_param(key_->pkey.get(), OSSL_PKEY_PARAM_RSA_N);
  const std::string e = bignum_param(key_->pkey.get(), OSSL_PKEY_PARAM_RSA_E);
  // Microsoft's keys carry the SHA-1 thumbprint of their certificate; we have no
  // certificate, so the thumbprint of the public key stands in (nobody checks it).
  std::array<unsigned char, EVP_MAX_MD_SIZE> sha1{};
  unsigned int sha1_len = 0;
  if (EVP_Digest(bytes_of(n), n.size(), sha1.data(), &sha1_len, EVP_sha1(), nullptr) != 1) fail("SHA-1 failed");
  const std::string x5t = base64url(std::string_view{reinterpret_cast<const char*>(sha1.data()), sha1_len});
  return {{"kty", "RSA"},         {"use", "sig"}, {"kid", kid_},
          {"x5t", x5t},           {"n", base64url(n)}, {"e", base64url(e)},
          {"endorsements", endorsements_}};
}

nlohmann::json JwtMinter::jwks() const { return {{"keys", nlohmann::json::array({jwk()})}}; }

std::string JwtMinter::sign(std::string_view signing_input) const {
  const MdCtx md{EVP_MD_CTX_new()};
  if (!md || EVP_DigestSignInit(md.get(), nullptr, EVP_sha256(), nullptr, key_->pkey.get()) != 1)
    fail("cannot set up signing");
  std::size_t len = 0;
  if (EVP_DigestSign(md.get(), nullptr, &len, bytes_of(signing_input), signing_input.size()) != 1)
    fail("cannot size the signature");
  std::string sig(len, '\0');
  if (EVP_DigestSign(md.get(), reinterpret_cast<unsigned char*>(sig.data()), &len, bytes_of(signing_input),
                     signing_input.size()) != 1)
    fail("signing failed");
  sig.resize(len);
  return sig;
}

std::string JwtMinter::token_from_segments(std::string_view header_segment, std::string_view payload_segment) const {
  std::string input;
  input.append(header_segment).append(".").append(payload_segment);
  return input + "." + base64url(sign(input));
}

std::string JwtMinter::token(const nlohmann::json& header, const nlohmann::json& payload) const {
  return token_from_segments(base64url(header.dump()), base64url(payload.dump()));
}

std::string JwtMinter::token_with_signature(const nlohmann::json& header, const nlohmann::json& payload,
                                            std::string_view signature_bytes) const {
  return base64url(header.dump()) + "." + base64url(payload.dump()) + "." + base64url(signature_bytes);
}

std::string JwtMinter::token_hs256(const nlohmann::json& header, const nlohmann::json& payload,
                                   std::string_view secret) const {
  const std::string input = base64url(header.dump()) + "." + base64url(payload.dump());
  std::array<unsigned char, EVP_MAX_MD_SIZE> mac{};
  unsigned int mac_len = 0;
  if (HMAC(EVP_sha256(), secret.data(), static_cast<int>(secret.size()), bytes_of(input), input.size(), mac.data(),
           &mac_len) == nullptr)
    fail("HMAC-SHA256 failed");
  return input + "." + base64url(std::string_view{reinterpret_cast<const char*>(mac.data()), mac_len});
}

nlohmann::json JwtMinter::bot_framework_header() const {
  return {{"alg", "RS256"}, {"kid", kid_}, {"x5t", jwk()["x5t"]}, {"typ", "JWT"}};
}

nlohmann::json JwtMinter::bot_framework_payload(const std::string& app_id, const std::string& service_url,
                                                bot::Instant now) {
  const auto now_s = std::chrono::floor<std::chrono::seconds>(now).time_since_epoch().count();
  return {{"serviceurl", service_url},
          {"nbf", now_s},
          {"exp", now_s + 3600},
          {"iss", kBotFrameworkIssuer},
          {"aud", app_id}};
}

std::string JwtMinter::bot_framework_token(const std::string& app_id, const std::string& service_url,
                                           bot::Instant now) const {
  return token(bot_framework_header(), bot_framework_payload(app_id, service_url, now));
}

}  // namespace testing
