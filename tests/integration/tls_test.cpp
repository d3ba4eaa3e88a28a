// TLS verification of HttpClient and WebSocket against a raw Asio server whose
// certificate is made at test time: trusted through a CA file, refused when untrusted
// or for another name.
#include <catch2/catch.hpp>

#include <chrono>
#include <fstream>
#include <optional>
#include <string>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "adapters/net/http_client.hpp"
#include "adapters/net/http_types.hpp"
#include "adapters/net/websocket.hpp"
#include "tests/support/net_loopback.hpp"
#include "tests/support/temp_dir.hpp"

using Catch::Matchers::Contains;

namespace {

namespace asio = boost::asio;
using asio::ip::tcp;
using namespace std::chrono_literals;
// The loopback helpers (tests/support/net_loopback.hpp).
using namespace testing;

struct SelfSigned {
  std::string cert_pem;
  std::string key_pem;
};

std::string drain_bio(BIO* bio) {
  std::string out(BIO_ctrl_pending(bio), '\0');
  const int n = BIO_read(bio, out.data(), static_cast<int>(out.size()));
  out.resize(n > 0 ? static_cast<std::size_t>(n) : 0);
  return out;
}

// RSA 2048, CN=localhost, SAN DNS:localhost, valid for a day.
SelfSigned make_self_signed() {
  std::unique_ptr<EVP_PKEY_CTX, decltype(&EVP_PKEY_CTX_free)> keygen{EVP_PKEY_CTX_new_id(EVP_PKEY_RSA, nullptr),
                                                                      EVP_PKEY_CTX_free};
  REQUIRE(keygen);
  REQUIRE(EVP_PKEY_keygen_init(keygen.get()) == 1);
  REQUIRE(EVP_PKEY_CTX_set_rsa_keygen_bits(keygen.get(), 2048) == 1);
  EVP_PKEY* raw_key = nullptr;
  REQUIRE(EVP_PKEY_keygen(keygen.get(), &raw_key) == 1);
  std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)> key{raw_key, EVP_PKEY_free};

  std::unique_ptr<X509, decltype(&X509_free)> cert{X509_new(), X509_free};
  REQUIRE(cert);
  X509_set_version(cert.get(), 2);
  ASN1_INTEGER_set(X509_get_serialNumber(cert.get()), 1);
  X509_gmtime_adj(X509_getm_notBefore(cert.get()), -3600);
  X509_gmtime_adj(X509_getm_notAfter(cert.get()), 24 * 3600);
  X509_set_pubkey(cert.get(), key.get());
  X509_NAME* name = X509_get_subject_name(cert.get());
  const std::string cn = "localhost";
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, reinterpret_cast<const unsigned char*>(cn.c_str()), -1, -1,
                             0);
  X509_set_issuer_name(cert.get(), name);
  X509V3_CTX v3{};
  X509V3_set_ctx(&v3, cert.get(), cert.get(), nullptr, nullptr, 0);
  X509_EXTENSION* san = X509V3_EXT_conf_nid(nullptr, &v3, NID_subject_alt_name, "DNS:localhost");
  REQUIRE(san);
  X509_add_ext(cert.get(), san, -1);
  X509_EXTENSION_free(san);
  REQUIRE(X509_sign(cert.get(), key.get(), EVP_sha256()) > 0);

  std::unique_ptr<BIO, decltype(&BIO_free)> cert_bio{BIO_new(BIO_s_mem()), BIO_free};
  std::unique_ptr<BIO, decltype(&BIO_free)> key_bio{BIO_new(BIO_s_mem()), BIO_free};
  REQUIRE(PEM_write_bio_X509(cert_bio.get(), cert.get()) == 1);
  REQUIRE(PEM_write_bio_PrivateKey(key_bio.get(), key.get(), nullptr, nullptr, 0, nullptr, nullptr) == 1);
  SelfSigned out;
  out.cert_pem = drain_bio(cert_bio.get());
  out.key_pem = drain_bio(key_bio.get());
  return out;
}

const SelfSigned& self_signed() {
  static const SelfSigned made = make_self_signed();
  return made;
}

// Answers every request with "secure" and closes; no WebSocket, so an upgrade is refused.
asio::awaitable<void> tls_session(asio::ssl::stream<tcp::socket> stream) {
  auto [handshake_ec] = co_await stream.async_handshake(asio::ssl::stream_base::server, use_tuple);
  if (handshake_ec) co_return;
  std::string request;
  auto buffer = asio::dynamic_buffer(request);
  auto [read_ec, n] = co_await asio::async_read_until(stream, buffer, "\r\n\r\n", use_tuple);
  if (read_ec) co_return;
  const std::string reply = "HTTP/1.1 200 OK\r\nContent-Length: 6\r\nConnection: close\r\n\r\nsecure";
  co_await asio::async_write(stream, asio::buffer(reply), use_tuple);
}

asio::awaitable<void> tls_accept(tcp::acceptor& acceptor, asio::ssl::context& context) {
  for (;;) {
    auto [ec, socket] = co_await acceptor.async_accept(use_tuple);
    if (ec) co_return;
    asio::ssl::stream<tcp::socket> stream{std::move(socket), context};
    asio::co_spawn(acceptor.get_executor(), tls_session(std::move(stream)), asio::detached);
  }
}

asio::awaitable<std::optional<net::NetError>> ws_connect_failure(asio::any_io_executor ex, std::string url,
                                                                 net::WebSocketOptions options) {
  try {
    auto op = net::WebSocket::connect(ex, std::move(url), std::move(options));
    co_await std::move(op);
  } catch (const net::NetError& e) {
    co_return e;
  }
  co_return std::nullopt;
}

asio::awaitable<void> tls_verification(asio::any_io_executor ex) {
  const auto& made = self_signed();
  testing::TempDir dir;
  const std::string ca_file = dir.file("ca.pem");
  {
    std::ofstream out{ca_file};
    out << made.cert_pem;
  }

  asio::ssl::context context{asio::ssl::context::tls_server};
  context.use_certificate_chain(asio::buffer(made.cert_pem));
  context.use_private_key(asio::buffer(made.key_pem), asio::ssl::context::pem);
  tcp::acceptor acceptor{ex, tcp::endpoint{asio::ip::address_v4::loopback(), 0}};
  asio::co_spawn(ex, tls_accept(acceptor, context), asio::detached);
  const std::string port = std::to_string(acceptor.local_endpoint().port());

  net::HttpClientOptions trusting;
  trusting.ca_file = ca_file;
  net::HttpClient client{ex, trusting};
  auto got = co_await send(client, get("https://localhost:" + port + "/"));
  CHECK(got.status == 200);
  CHECK(got.body == "secure");

  // The certificate names localhost only.
  auto wrong_name = co_await send_failure(client, get("https://127.0.0.1:" + port + "/"));
  REQUIRE(wrong_name);
  CHECK(wrong_name->kind == net::NetError::Kind::tls);

  net::HttpClient system_store{ex};
  auto untrusted = co_await send_failure(system_store, get("https://localhost:" + port + "/"));
  REQUIRE(untrusted);
  CHECK(untrusted->kind == net::NetError::Kind::tls);
  CHECK_THAT(untrusted->what(), Contains("certificate verify failed"));

  // wss: the TLS handshake passes with the CA file, then the plain server refuses the upgrade.
  net::WebSocketOptions ws_trusting;
  ws_trusting.ca_file = ca_file;
  const std::string wss_url = "wss://localhost:" + port + "/";
  auto refused = co_await ws_connect_failure(ex, wss_url, ws_trusting);
  REQUIRE(refused);
  CHECK(refused->kind == net::NetError::Kind::protocol);
  CHECK_THAT(refused->what(), Contains("200"));
  const net::WebSocketOptions system_trust;
  auto ws_untrusted = co_await ws_connect_failure(ex, wss_url, system_trust);
  REQUIRE(ws_untrusted);
  CHECK(ws_untrusted->kind == net::NetError::Kind::tls);
  acceptor.close();
}

}  // namespace

TEST_CASE("HTTPS and WSS verify the server's certificate and name", "[net]") { run(tls_verification); }
