// The network plumbing on loopback: HttpServer and HttpClient against each other and
// against raw Asio peers that misbehave on purpose (never answer, close a keep-alive
// connection), WebSocket echo, pings and closes through HttpServer's upgrade, and TLS
// verification against a raw server with a certificate made at test time.
// Everything awaits events; the only clock is each test's safety deadline.
#include <catch2/catch.hpp>

#include <chrono>
#include <fstream>
#include <functional>
#include <set>
#include <string>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <spdlog/spdlog.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "adapters/net/http_client.hpp"
#include "adapters/net/http_server.hpp"
#include "adapters/net/http_types.hpp"
#include "adapters/net/websocket.hpp"
#include "tests/support/temp_dir.hpp"

using Catch::Matchers::Contains;

namespace {

namespace asio = boost::asio;
using asio::ip::tcp;
using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

constexpr auto use_tuple = asio::as_tuple(asio::use_awaitable);

// Runs one test coroutine on its own io_context. The deadline only guards against a
// hang; afterwards the context must run dry, which proves that stop() and the
// destructors left nothing pending.
void run(asio::awaitable<void> (*test)(asio::any_io_executor), std::chrono::seconds deadline = 20s) {
  asio::io_context ioc;
  bool finished = false;
  std::exception_ptr failure;
  asio::co_spawn(ioc, test(ioc.get_executor()), [&](std::exception_ptr e) {
    finished = true;
    failure = std::move(e);
  });
  const auto until = Clock::now() + deadline;
  while (!finished && ioc.run_one_until(until) > 0) {
  }
  REQUIRE(finished);
  if (failure) std::rethrow_exception(failure);
  ioc.run_for(5s);
  CHECK(ioc.stopped());
}

// Lets the test coroutine wait until a condition holds, woken by notify().
class Notifier {
 public:
  explicit Notifier(asio::any_io_executor ex) : timer_(std::move(ex)) {}
  void notify() { timer_.cancel(); }
  asio::awaitable<void> until(std::function<bool()> ready) {
    while (!ready()) {
      timer_.expires_at(asio::steady_timer::time_point::max());
      co_await timer_.async_wait(use_tuple);
    }
  }

 private:
  asio::steady_timer timer_;
};

std::string base_url(const net::HttpServer& server) { return "http://127.0.0.1:" + std::to_string(server.port()); }

net::HttpResponse text(int status, std::string body) {
  net::HttpResponse res;
  res.status = status;
  res.headers = {{"Content-Type", "text/plain"}};
  res.body = std::move(body);
  return res;
}

// Echoes what it got, so tests see the request as the server saw it.
asio::awaitable<net::HttpResponse> echo(net::ServerRequest req) {
  if (req.path() == "/big") co_return text(200, std::string(10000, 'x'));
  if (req.path() == "/boom") throw std::runtime_error("secret-token-in-message");
  net::HttpResponse res = text(200, req.body);
  res.headers.emplace_back("X-Method", req.method);
  res.headers.emplace_back("X-Target", req.target);
  res.headers.emplace_back("X-Path", std::string{req.path()});
  res.headers.emplace_back("X-Token", std::string{req.header("x-TOKEN").value_or("none")});
  res.headers.emplace_back("X-Remote", req.remote);
  co_return res;
}

net::HttpRequest get(std::string url) {
  net::HttpRequest req;
  req.method = "GET";
  req.url = std::move(url);
  return req;
}

asio::awaitable<net::HttpResponse> send(net::HttpClient& client, net::HttpRequest req) {
  auto op = client.send(std::move(req));
  co_return co_await std::move(op);
}

// The one try per failing call lives here, so test bodies stay straight-line.
asio::awaitable<std::optional<net::NetError>> send_failure(net::HttpClient& client, net::HttpRequest req) {
  try {
    auto op = client.send(std::move(req));
    co_await std::move(op);
  } catch (const net::NetError& e) {
    co_return e;
  }
  co_return std::nullopt;
}

// Writes `request` on a fresh connection and returns everything until the server closes.
asio::awaitable<std::string> raw_exchange(asio::any_io_executor ex, std::uint16_t port, std::string request) {
  tcp::socket socket{ex};
  const tcp::endpoint endpoint{asio::ip::address_v4::loopback(), port};
  co_await socket.async_connect(endpoint, asio::use_awaitable);
  co_await asio::async_write(socket, asio::buffer(request), asio::use_awaitable);
  std::string reply;
  auto buffer = asio::dynamic_buffer(reply);
  co_await asio::async_read(socket, buffer, use_tuple);
  co_return reply;
}

// ---------------------------------------------------------------------------------------

asio::awaitable<void> round_trip(asio::any_io_executor ex) {
  net::HttpServer server{ex, net::HttpServerOptions{}, echo};
  server.start();
  net::HttpClient client{ex};

  auto request = get(base_url(server) + "/hello?name=a%20b");
  request.headers = {{"x-token", "t0ken"}};
  auto got = co_await send(client, request);
  CHECK(got.status == 200);
  CHECK(got.header("x-method") == "GET");
  CHECK(got.header("X-TARGET") == "/hello?name=a%20b");
  CHECK(got.header("x-path") == "/hello");
  CHECK(got.header("x-token") == "t0ken");
  CHECK(got.body.empty());

  std::string body;
  for (int i = 0; i < 256; ++i) body += static_cast<char>(i);
  body += "\r\n\r\n\0tail";
  net::HttpRequest post;
  post.url = base_url(server) + "/post";
  post.headers = {{"Content-Type", "application/octet-stream"}};
  post.body = body;
  auto posted = co_await send(client, post);
  CHECK(posted.status == 200);
  CHECK(posted.header("X-Method") == "POST");
  CHECK(posted.header("content-length") == std::to_string(body.size()));
  CHECK(posted.header("x-token") == "none");
  CHECK(posted.body == body);
  server.stop();
}

asio::awaitable<void> handler_failure(asio::any_io_executor ex) {
  net::HttpServer server{ex, net::HttpServerOptions{}, echo};
  server.start();
  net::HttpClient client{ex};
  auto got = co_await send(client, get(base_url(server) + "/boom"));
  CHECK(got.status == 500);
  CHECK(got.body == "internal server error");
  auto after = co_await send(client, get(base_url(server) + "/fine"));
  CHECK(after.status == 200);
  server.stop();
}

asio::awaitable<void> keep_alive(asio::any_io_executor ex) {
  net::HttpServer server{ex, net::HttpServerOptions{}, echo};
  server.start();
  net::HttpClient client{ex};
  std::set<std::string> remotes;
  for (int i = 0; i < 10; ++i) {
    auto got = co_await send(client, get(base_url(server) + "/n/" + std::to_string(i)));
    CHECK(got.status == 200);
    remotes.insert(std::string{got.header("x-remote").value_or("")});
  }
  CHECK(remotes.size() == 1);
  server.stop();
}

struct Tally {
  std::set<std::string> remotes;
  int answered = 0;
  int failed = 0;
};

asio::awaitable<void> send_and_count(net::HttpClient& client, std::string url, Tally& tally) {
  auto got = co_await send(client, get(std::move(url)));
  if (got.status == 200) ++tally.answered;
  tally.remotes.insert(std::string{got.header("x-remote").value_or("")});
}

asio::awaitable<void> concurrency(asio::any_io_executor ex) {
  net::HttpServer server{ex, net::HttpServerOptions{}, echo};
  server.start();
  net::HttpClientOptions options;
  options.max_connections_per_host = 3;
  net::HttpClient client{ex, options};
  Tally tally;
  Notifier notifier{ex};
  int finished = 0;
  for (int i = 0; i < 20; ++i) {
    asio::co_spawn(ex, send_and_count(client, base_url(server) + "/c/" + std::to_string(i), tally),
                   [&](const std::exception_ptr& e) {
                     if (e) ++tally.failed;
                     ++finished;
                     notifier.notify();
                   });
  }
  const std::function<bool()> all_done = [&] { return finished == 20; };
  co_await notifier.until(all_done);
  CHECK(tally.failed == 0);
  CHECK(tally.answered == 20);
  CHECK(tally.remotes.size() >= 2);
  CHECK(tally.remotes.size() <= 3);
  server.stop();
}

asio::awaitable<void> body_too_large(asio::any_io_executor ex) {
  net::HttpServerOptions options;
  options.max_body_bytes = 1024;
  net::HttpServer server{ex, options, echo};
  server.start();
  net::HttpClient client{ex};

  net::HttpRequest big;
  big.url = base_url(server) + "/upload";
  big.body = std::string(64 * 1024, 'b');
  auto rejected = co_await send(client, big);
  CHECK(rejected.status == 413);
  CHECK(rejected.body == "request body too large");

  net::HttpRequest small;
  small.url = base_url(server) + "/upload";
  small.body = std::string(1024, 's');
  auto accepted = co_await send(client, small);
  CHECK(accepted.status == 200);
  CHECK(accepted.body == small.body);
  server.stop();
}

asio::awaitable<void> garbage(asio::any_io_executor ex) {
  net::HttpServer server{ex, net::HttpServerOptions{}, echo};
  server.start();
  auto reply = co_await raw_exchange(ex, server.port(), "this is not http\r\n\r\n");
  CHECK_THAT(reply, Catch::Matchers::StartsWith("HTTP/1.1 400"));

  net::HttpClient client{ex};
  auto after = co_await send(client, get(base_url(server) + "/"));
  CHECK(after.status == 200);
  server.stop();
}

asio::awaitable<void> slow_request(asio::any_io_executor ex) {
  net::HttpServerOptions options;
  options.read_timeout = 300ms;
  net::HttpServer server{ex, options, echo};
  server.start();
  const auto start = Clock::now();
  auto reply = co_await raw_exchange(ex, server.port(), "GET / HTTP/1.1\r\nHost: x\r\n");
  CHECK_THAT(reply, Catch::Matchers::StartsWith("HTTP/1.1 408"));
  CHECK(Clock::now() - start >= 250ms);
  server.stop();
}

asio::awaitable<void> client_timeout(asio::any_io_executor ex) {
  // Accepts and then says nothing.
  tcp::acceptor acceptor{ex, tcp::endpoint{asio::ip::address_v4::loopback(), 0}};
  tcp::socket held{ex};
  acceptor.async_accept(held, [](const boost::system::error_code&) {});

  net::HttpClientOptions options;
  options.request_timeout = 300ms;
  net::HttpClient client{ex, options};
  const auto start = Clock::now();
  auto error = co_await send_failure(client, get("http://127.0.0.1:" + std::to_string(acceptor.local_endpoint().port()) + "/"));
  const auto took = Clock::now() - start;
  REQUIRE(error);
  CHECK(error->kind == net::NetError::Kind::timeout);
  CHECK(took >= 250ms);
  CHECK(took < 3s);
  held.close();
  acceptor.close();
}

asio::awaitable<void> response_too_large(asio::any_io_executor ex) {
  net::HttpServer server{ex, net::HttpServerOptions{}, echo};
  server.start();
  net::HttpClientOptions options;
  options.max_response_bytes = 1000;
  net::HttpClient client{ex, options};
  auto error = co_await send_failure(client, get(base_url(server) + "/big"));
  REQUIRE(error);
  CHECK(error->kind == net::NetError::Kind::too_large);
  auto small = co_await send(client, get(base_url(server) + "/small"));
  CHECK(small.status == 200);
  server.stop();
}

struct Closer {
  int accepted = 0;
  int closed = 0;
};

// Answers one request per connection as if keeping it alive, then closes it.
asio::awaitable<void> answer_then_close(tcp::acceptor& acceptor, Closer& closer, Notifier& notifier) {
  for (;;) {
    auto [ec, socket] = co_await acceptor.async_accept(use_tuple);
    if (ec) co_return;
    ++closer.accepted;
    std::string request;
    auto buffer = asio::dynamic_buffer(request);
    co_await asio::async_read_until(socket, buffer, "\r\n\r\n", use_tuple);
    const std::string reply = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok";
    co_await asio::async_write(socket, asio::buffer(reply), use_tuple);
    socket.close();
    ++closer.closed;
    notifier.notify();
  }
}

asio::awaitable<void> stale_connection(asio::any_io_executor ex) {
  tcp::acceptor acceptor{ex, tcp::endpoint{asio::ip::address_v4::loopback(), 0}};
  Closer closer;
  Notifier notifier{ex};
  asio::co_spawn(ex, answer_then_close(acceptor, closer, notifier), asio::detached);
  const std::string url = "http://127.0.0.1:" + std::to_string(acceptor.local_endpoint().port()) + "/";

  net::HttpClient client{ex};
  auto first = co_await send(client, get(url));
  CHECK(first.body == "ok");
  const std::function<bool()> closed_one = [&] { return closer.closed == 1; };
  co_await notifier.until(closed_one);

  auto second = co_await send(client, get(url));
  CHECK(second.body == "ok");
  CHECK(closer.accepted == 2);
  acceptor.close();
}

// ---------------------------------------------------------------------------------------

// Echoes text; a few messages are commands for the tests.
asio::awaitable<void> ws_echo(std::unique_ptr<net::WebSocket> ws, net::ServerRequest req) {
  try {
    for (;;) {
      auto message = co_await ws->read();
      if (message == "target?") {
        message = req.target;
      } else if (message == "ping-me") {
        ws->ping("from-server");
        continue;
      } else if (message == "close-me") {
        ws->close(4001, "done here");
        continue;
      }
      auto op = ws->write(std::move(message));
      co_await std::move(op);
    }
  } catch (const net::NetError&) {
  }
}

struct Inbox {
  std::vector<std::string> messages;
  std::optional<net::NetError> error;
  std::vector<std::string> pings;
  std::vector<std::string> pongs;
};

// Reads until the connection ends; Beast only sees control frames while a read runs.
asio::awaitable<void> read_all(net::WebSocket& ws, Inbox& inbox, Notifier& notifier) {
  try {
    for (;;) {
      auto message = co_await ws.read();
      inbox.messages.push_back(std::move(message));
      notifier.notify();
    }
  } catch (const net::NetError& e) {
    inbox.error = e;
    notifier.notify();
  }
}

struct WsRig {
  net::HttpServer server;
  std::unique_ptr<net::WebSocket> ws;
  Inbox inbox;
  Notifier notifier;
  explicit WsRig(asio::any_io_executor ex) : server(ex, net::HttpServerOptions{}, echo), notifier(ex) {
    server.on_websocket("/ws", ws_echo);
    server.start();
  }
  std::string url(const std::string& target) const {
    return "ws://127.0.0.1:" + std::to_string(server.port()) + target;
  }
};

asio::awaitable<void> connect(WsRig& rig, asio::any_io_executor ex) {
  auto op = net::WebSocket::connect(ex, rig.url("/ws?x=1"));
  rig.ws = co_await std::move(op);
  rig.ws->on_ping([&rig](std::string_view p) {
    rig.inbox.pings.emplace_back(p);
    rig.notifier.notify();
  });
  rig.ws->on_pong([&rig](std::string_view p) {
    rig.inbox.pongs.emplace_back(p);
    rig.notifier.notify();
  });
  asio::co_spawn(ex, read_all(*rig.ws, rig.inbox, rig.notifier), asio::detached);
}

asio::awaitable<void> say(net::WebSocket& ws, std::string message) {
  auto op = ws.write(std::move(message));
  co_await std::move(op);
}

asio::awaitable<void> ws_echo_and_control(asio::any_io_executor ex) {
  WsRig rig{ex};
  co_await connect(rig, ex);
  CHECK(rig.ws->is_open());

  co_await say(*rig.ws, "hello");
  co_await say(*rig.ws, "target?");
  const std::function<bool()> two = [&] { return rig.inbox.messages.size() == 2 || rig.inbox.error; };
  co_await rig.notifier.until(two);
  REQUIRE(rig.inbox.messages.size() == 2);
  CHECK(rig.inbox.messages[0] == "hello");
  CHECK(rig.inbox.messages[1] == "/ws?x=1");

  rig.ws->ping("are-you-there");
  const std::function<bool()> ponged = [&] { return !rig.inbox.pongs.empty() || rig.inbox.error; };
  co_await rig.notifier.until(ponged);
  REQUIRE(rig.inbox.pongs.size() == 1);
  CHECK(rig.inbox.pongs[0] == "are-you-there");

  co_await say(*rig.ws, "ping-me");
  const std::function<bool()> pinged = [&] { return !rig.inbox.pings.empty() || rig.inbox.error; };
  co_await rig.notifier.until(pinged);
  REQUIRE(rig.inbox.pings.size() == 1);
  CHECK(rig.inbox.pings[0] == "from-server");

  rig.ws->close(1000, "bye");
  const std::function<bool()> ended = [&] { return rig.inbox.error.has_value(); };
  co_await rig.notifier.until(ended);
  CHECK(rig.inbox.error->kind == net::NetError::Kind::closed);
  CHECK_THAT(rig.inbox.error->what(), Contains("1000"));
  CHECK_FALSE(rig.ws->is_open());
  rig.server.stop();
}

asio::awaitable<void> ws_server_closes(asio::any_io_executor ex) {
  WsRig rig{ex};
  co_await connect(rig, ex);
  co_await say(*rig.ws, "close-me");
  const std::function<bool()> ended = [&] { return rig.inbox.error.has_value(); };
  co_await rig.notifier.until(ended);
  CHECK(rig.inbox.error->kind == net::NetError::Kind::closed);
  CHECK_THAT(rig.inbox.error->what(), Contains("4001") && Contains("done here"));
  CHECK_FALSE(rig.ws->is_open());
  rig.server.stop();
}

asio::awaitable<void> write_one(net::WebSocket& ws, int i, int& written) {
  auto op = ws.write("m" + std::to_string(i));
  co_await std::move(op);
  ++written;
}

asio::awaitable<void> ws_many_writers(asio::any_io_executor ex) {
  WsRig rig{ex};
  co_await connect(rig, ex);
  constexpr int count = 200;
  int written = 0;
  for (int i = 0; i < count; ++i) asio::co_spawn(ex, write_one(*rig.ws, i, written), asio::detached);
  const std::function<bool()> all = [&] { return rig.inbox.messages.size() == count || rig.inbox.error; };
  co_await rig.notifier.until(all);
  CHECK(written == count);
  REQUIRE(rig.inbox.messages.size() == count);
  for (int i = 0; i < count; ++i) CHECK(rig.inbox.messages[static_cast<std::size_t>(i)] == "m" + std::to_string(i));
  rig.ws->close();
  const std::function<bool()> ended = [&] { return rig.inbox.error.has_value(); };
  co_await rig.notifier.until(ended);
  rig.server.stop();
}

asio::awaitable<void> ws_abort_and_refusal(asio::any_io_executor ex) {
  WsRig rig{ex};
  co_await connect(rig, ex);
  rig.ws->abort();
  const std::function<bool()> ended = [&] { return rig.inbox.error.has_value(); };
  co_await rig.notifier.until(ended);
  CHECK(rig.inbox.error->kind == net::NetError::Kind::closed);
  CHECK_FALSE(rig.ws->is_open());

  std::optional<net::NetError> refused;
  try {
    auto op = net::WebSocket::connect(ex, rig.url("/nowhere"));
    co_await std::move(op);
  } catch (const net::NetError& e) {
    refused = e;
  }
  REQUIRE(refused);
  CHECK(refused->kind == net::NetError::Kind::protocol);
  CHECK_THAT(refused->what(), Contains("404"));
  rig.server.stop();
}

// With a keep-alive HTTP connection and a WebSocket open, stop() must leave nothing
// for the io_context to wait on (run() checks that it runs dry).
asio::awaitable<void> server_stop(asio::any_io_executor ex) {
  WsRig rig{ex};
  net::HttpClient client{ex};
  auto got = co_await send(client, get(base_url(rig.server) + "/"));
  CHECK(got.status == 200);
  co_await connect(rig, ex);
  co_await say(*rig.ws, "hello");
  const std::function<bool()> echoed = [&] { return !rig.inbox.messages.empty() || rig.inbox.error; };
  co_await rig.notifier.until(echoed);

  rig.server.stop();
  const std::function<bool()> ended = [&] { return rig.inbox.error.has_value(); };
  co_await rig.notifier.until(ended);
  CHECK(rig.inbox.error->kind == net::NetError::Kind::closed);
  auto refused = co_await send_failure(client, get(base_url(rig.server) + "/"));
  REQUIRE(refused);
  CHECK(refused->kind == net::NetError::Kind::connect);
}

// ---------------------------------------------------------------------------------------
// TLS against a raw Asio server with a certificate made on the spot.

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

TEST_CASE("find_header ignores case and returns the first value", "[net]") {
  const net::Headers headers = {{"Content-Type", "a"}, {"X-Thing", "1"}, {"x-thing", "2"}};
  CHECK(net::find_header(headers, "content-type") == "a");
  CHECK(net::find_header(headers, "X-THING") == "1");
  CHECK_FALSE(net::find_header(headers, "missing"));

  net::ServerRequest req;
  req.target = "/slack/events?x=1";
  CHECK(req.path() == "/slack/events");
  req.target = "/plain";
  CHECK(req.path() == "/plain");
}

TEST_CASE("parse_endpoint splits URLs", "[net]") {
  auto plain = net::parse_endpoint("http://example.com");
  REQUIRE(plain);
  CHECK(plain->scheme == "http");
  CHECK(plain->host == "example.com");
  CHECK(plain->port == 80);
  CHECK(plain->target == "/");
  CHECK_FALSE(plain->tls());

  auto api = net::parse_endpoint("https://slack.com/api/chat.postMessage?a=1&b=%20#frag");
  REQUIRE(api);
  CHECK(api->port == 443);
  CHECK(api->target == "/api/chat.postMessage?a=1&b=%20");
  CHECK(api->tls());

  auto ws = net::parse_endpoint("WSS://wss-primary.slack.com/link/?ticket=abc");
  REQUIRE(ws);
  CHECK(ws->scheme == "wss");
  CHECK(ws->port == 443);
  CHECK(ws->target == "/link/?ticket=abc");

  auto local = net::parse_endpoint("ws://127.0.0.1:8080/ws");
  REQUIRE(local);
  CHECK(local->port == 8080);
  CHECK(local->host == "127.0.0.1");

  auto v6 = net::parse_endpoint("http://[::1]:9000/x");
  REQUIRE(v6);
  CHECK(v6->host == "::1");

  CHECK_FALSE(net::parse_endpoint("ftp://example.com/"));
  CHECK_FALSE(net::parse_endpoint("not a url"));
  CHECK_FALSE(net::parse_endpoint("http://example.com:99999/"));
  CHECK_FALSE(net::parse_endpoint("http:///nohost"));
}

TEST_CASE("form bodies encode and decode", "[net]") {
  CHECK(net::form_encode({{"a b", "x&y=z"}, {"e", "\xC3\xA9~-._"}}) == "a%20b=x%26y%3Dz&e=%C3%A9~-._");

  auto fields = net::form_decode("payload=%7B%22a%22%3A1%7D&x=a+b&x=second&flag&&y=%e2%9c%93");
  REQUIRE(fields);
  REQUIRE(fields->size() == 4);
  CHECK((*fields)[0] == std::pair<std::string, std::string>{"payload", "{\"a\":1}"});
  CHECK((*fields)[1] == std::pair<std::string, std::string>{"x", "a b"});
  CHECK((*fields)[2] == std::pair<std::string, std::string>{"flag", ""});
  CHECK((*fields)[3] == std::pair<std::string, std::string>{"y", "\xE2\x9C\x93"});

  CHECK_FALSE(net::form_decode("a=%zz"));
  CHECK_FALSE(net::form_decode("a=%4"));
  CHECK_FALSE(net::form_decode("a=1&b=%"));
  CHECK(net::form_decode("")->empty());

  const std::vector<std::pair<std::string, std::string>> original = {{"text", "50% of 1+1 & more"}, {"k", ""}};
  CHECK(net::form_decode(net::form_encode(original)) == original);
}

TEST_CASE("HTTP client and server round trip", "[net]") { run(round_trip); }

TEST_CASE("HTTP handler exceptions become a bare 500", "[net]") {
  const auto level = spdlog::get_level();
  spdlog::set_level(spdlog::level::off);
  run(handler_failure);
  spdlog::set_level(level);
}

TEST_CASE("HTTP client reuses a keep-alive connection", "[net]") { run(keep_alive); }

TEST_CASE("HTTP client caps connections per host", "[net]") { run(concurrency); }

TEST_CASE("HTTP server answers 413 to a large body and keeps serving", "[net]") { run(body_too_large); }

TEST_CASE("HTTP server answers 400 to garbage", "[net]") { run(garbage); }

TEST_CASE("HTTP server answers 408 to a request that never completes", "[net]") { run(slow_request); }

TEST_CASE("HTTP client times out against a silent server", "[net]") { run(client_timeout); }

TEST_CASE("HTTP client refuses a response over its limit", "[net]") { run(response_too_large); }

TEST_CASE("HTTP client retries a pooled connection the server closed", "[net]") { run(stale_connection); }

TEST_CASE("WebSocket echo, pings both ways and close", "[net]") { run(ws_echo_and_control); }

TEST_CASE("WebSocket close from the server carries code and reason", "[net]") { run(ws_server_closes); }

TEST_CASE("WebSocket writes from many coroutines arrive in order", "[net]") { run(ws_many_writers); }

TEST_CASE("WebSocket abort and a refused upgrade", "[net]") { run(ws_abort_and_refusal); }

TEST_CASE("HttpServer::stop() closes open connections", "[net]") { run(server_stop); }

TEST_CASE("HTTPS and WSS verify the server's certificate and name", "[net]") { run(tls_verification); }
