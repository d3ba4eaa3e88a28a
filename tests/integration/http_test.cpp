// HttpServer and HttpClient on loopback, against each other and against raw Asio peers
// that misbehave on purpose (never answer, send garbage, close a keep-alive
// connection); and the pure helpers of http_types (headers, URLs, form bodies).
// Everything awaits events; the only clock is each test's safety deadline.
#include <catch2/catch.hpp>

#include <chrono>
#include <functional>
#include <optional>
#include <set>
#include <string>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <spdlog/spdlog.h>

#include "adapters/net/http_client.hpp"
#include "adapters/net/http_server.hpp"
#include "adapters/net/http_types.hpp"
#include "tests/support/net_loopback.hpp"

using Catch::Matchers::Contains;

namespace {

namespace asio = boost::asio;
using asio::ip::tcp;
using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;
// The loopback helpers (tests/support/net_loopback.hpp).
using namespace testing;

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

// With the one connection allowed busy and another request waiting for it, an urgent
// request goes at once on a connection of its own.
asio::awaitable<void> urgent_request(asio::any_io_executor ex) {
  asio::steady_timer release{ex, asio::steady_timer::time_point::max()};
  net::HttpServer server{ex, net::HttpServerOptions{}, [&](net::ServerRequest r) -> asio::awaitable<net::HttpResponse> {
    if (r.path() == "/slow") co_await release.async_wait(use_tuple);
    co_return co_await echo(std::move(r));
  }};
  server.start();
  net::HttpClientOptions options;
  options.max_connections_per_host = 1;
  net::HttpClient client{ex, options};
  Notifier notifier{ex};
  std::vector<std::string> finished;
  auto start = [&](std::string path, bool urgent) {
    net::HttpRequest req = get(base_url(server) + path);
    req.urgent = urgent;
    asio::co_spawn(ex, client.send(std::move(req)), [&, path](const std::exception_ptr& e, const net::HttpResponse&) {
      finished.push_back(e ? path + " failed" : path);
      notifier.notify();
    });
  };
  start("/slow", false);
  start("/queued", false);
  start("/urgent", true);
  const std::function<bool()> urgent_done = [&] { return !finished.empty(); };
  co_await notifier.until(urgent_done);
  CHECK(finished == std::vector<std::string>{"/urgent"});
  release.cancel();
  const std::function<bool()> all_done = [&] { return finished.size() == 3; };
  co_await notifier.until(all_done);
  // The queued one may have taken the urgent one's connection once it came free.
  CHECK(std::set<std::string>(finished.begin(), finished.end()) == std::set<std::string>{"/urgent", "/slow", "/queued"});
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

asio::awaitable<void> send_and_count(net::HttpClient* client, net::HttpRequest req, int* answered, Notifier* done) {
  const auto r = co_await send(*client, std::move(req));
  CHECK(r.status == 200);
  ++*answered;
  done->notify();
}

// Two requests whose handlers wait hold their bodies; a third that would pass the
// budget is turned away as its body arrives, and is welcome once they are done, even
// while others announce bodies they do not send.
asio::awaitable<void> body_budget(asio::any_io_executor ex) {
  net::HttpServerOptions options;
  options.max_body_bytes = 1024;
  options.body_budget_bytes = 2048;
  int entered = 0;
  Notifier entry{ex};
  asio::steady_timer release{ex, asio::steady_timer::time_point::max()};
  auto holding = [&](net::ServerRequest req) -> asio::awaitable<net::HttpResponse> {
    if (req.path() == "/hold") {
      ++entered;
      entry.notify();
      co_await release.async_wait(use_tuple);
    }
    co_return text(200, "held " + std::to_string(req.body.size()));
  };
  net::HttpServer server{ex, options, holding};
  server.start();
  net::HttpClient client{ex};
  net::HttpRequest post;
  post.url = base_url(server) + "/hold";
  post.body = std::string(1000, 'h');
  int answered = 0;
  for (int i = 0; i < 2; ++i) asio::co_spawn(ex, send_and_count(&client, post, &answered, &entry), asio::detached);
  co_await entry.until([&] { return entered == 2; });

  net::HttpRequest third = post;
  third.url = base_url(server) + "/other";
  const auto busy = co_await send(client, third);
  CHECK(busy.status == 503);
  CHECK(busy.header("Retry-After") == "1");
  const auto bodiless = co_await send(client, get(base_url(server) + "/no-body"));
  CHECK(bodiless.status == 200);  // nothing to hold

  // Bodies announced but not sent hold nothing: they do not turn others away.
  release.cancel();
  co_await entry.until([&] { return answered == 2; });
  std::vector<std::unique_ptr<tcp::socket>> announcers;
  for (int i = 0; i < 4; ++i) {
    auto s = std::make_unique<tcp::socket>(ex);
    const tcp::endpoint endpoint{asio::ip::address_v4::loopback(), server.port()};
    co_await s->async_connect(endpoint, asio::use_awaitable);
    const std::string head = "POST /hold HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\nh";
    co_await asio::async_write(*s, asio::buffer(head), asio::use_awaitable);
    announcers.push_back(std::move(s));
  }
  const auto later = co_await send(client, third);
  CHECK(later.status == 200);
  CHECK(later.body == "held 1000");
  server.stop();
}

// Past the cap, a new connection is closed unanswered; a slot freed is usable again.
asio::awaitable<void> connection_cap(asio::any_io_executor ex) {
  net::HttpServerOptions options;
  options.max_connections = 2;
  net::HttpServer server{ex, options, echo};
  server.start();
  const tcp::endpoint endpoint{asio::ip::address_v4::loopback(), server.port()};
  tcp::socket first{ex};
  tcp::socket second{ex};
  co_await first.async_connect(endpoint, asio::use_awaitable);
  co_await second.async_connect(endpoint, asio::use_awaitable);

  tcp::socket third{ex};
  co_await third.async_connect(endpoint, asio::use_awaitable);
  std::string got;
  auto into = asio::dynamic_buffer(got);
  auto [third_ec, third_read] = co_await asio::async_read(third, into, use_tuple);
  CHECK(third_ec);  // closed by the server
  CHECK(got.empty());

  const std::string request = "GET /bye HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n";
  co_await asio::async_write(first, asio::buffer(request), asio::use_awaitable);
  std::string reply;
  auto reply_buffer = asio::dynamic_buffer(reply);
  co_await asio::async_read(first, reply_buffer, use_tuple);
  CHECK_THAT(reply, Catch::Matchers::StartsWith("HTTP/1.1 200"));

  net::HttpClient client{ex};
  const auto again = co_await send(client, get(base_url(server) + "/again"));
  CHECK(again.status == 200);
  server.stop();
}

// HEAD gets the headers of the GET, its Content-Length included, and no body.
asio::awaitable<void> head_request(asio::any_io_executor ex) {
  auto hello = [](net::ServerRequest) -> asio::awaitable<net::HttpResponse> { co_return text(200, "hello"); };
  net::HttpServer server{ex, net::HttpServerOptions{}, hello};
  server.start();
  const auto reply = co_await raw_exchange(ex, server.port(), "HEAD /healthz HTTP/1.1\r\nHost: a\r\n"
                                                              "Connection: close\r\n\r\n");
  CHECK_THAT(reply, Catch::Matchers::StartsWith("HTTP/1.1 200") && Contains("Content-Length: 5\r\n"));
  CHECK_THAT(reply, Catch::Matchers::EndsWith("\r\n\r\n"));
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

TEST_CASE("Retry-After is read as seconds or as an HTTP date, never as less than a second", "[net]") {
  using namespace std::chrono;
  const auto with = [](std::string value) {
    net::HttpResponse r;
    r.status = 429;
    r.headers.emplace_back("Retry-After", std::move(value));
    return r;
  };
  const auto now = sys_days{year{2026} / 11 / 24} + hours{12};
  CHECK(net::retry_after(with("30"), now) == seconds{30});
  CHECK(net::retry_after(with("0"), now) == seconds{1});
  CHECK(net::retry_after(with("Tue, 24 Nov 2026 12:02:00 GMT"), now) == minutes{2});
  CHECK(net::retry_after(with("Tue, 24 Nov 2026 11:00:00 GMT"), now) == seconds{1});  // already past
  CHECK(net::retry_after(with("soon"), now) == seconds{1});
  CHECK(net::retry_after(with("99999999999999"), now) == hours{24});  // capped at a day
  CHECK(net::retry_after(with("Fri, 31 Dec 2100 23:59:59 GMT"), now) == hours{24});
  CHECK(net::retry_after(with("Fri, 31 Dec 9999 23:59:59 GMT"), now) == seconds{1});  // not a date we take
  CHECK_FALSE(net::parse_http_date("Tue, 24 Nov 2026 -1:00:00 GMT"));
  CHECK(net::retry_after(net::HttpResponse{}, now) == seconds{1});
  CHECK_FALSE(net::parse_http_date("Tue, 31 Nov 2026 12:00:00 GMT"));  // no such day
  CHECK_FALSE(net::parse_http_date("Tue, 24 Nov 2026 12:00:00 UTC"));
  CHECK_FALSE(net::parse_http_date("Tuesday, 24-Nov-26 12:00:00 GMT"));  // the obsolete RFC 850 form
  CHECK_FALSE(net::parse_http_date("Tue, 24 Nox 2026 12:00:00 GMT"));
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

TEST_CASE("HTTP client lets an urgent request past the queue for a connection", "[net]") { run(urgent_request); }

TEST_CASE("HTTP server answers 413 to a large body and keeps serving", "[net]") { run(body_too_large); }

TEST_CASE("HTTP server answers 400 to garbage", "[net]") { run(garbage); }

TEST_CASE("HTTP server answers 503 past its body budget and serves again after", "[net]") { run(body_budget); }

TEST_CASE("HTTP server closes connections past its cap", "[net]") { run(connection_cap); }

TEST_CASE("HTTP server answers HEAD without a body", "[net]") { run(head_request); }

TEST_CASE("HTTP server answers 408 to a request that never completes", "[net]") { run(slow_request); }

TEST_CASE("HTTP client times out against a silent server", "[net]") { run(client_timeout); }

TEST_CASE("HTTP client refuses a response over its limit", "[net]") { run(response_too_large); }

TEST_CASE("HTTP client retries a pooled connection the server closed", "[net]") { run(stale_connection); }
