#pragma once
// What the network tests on loopback share (http_test, websocket_test, tls_test): a
// runner that gives each test coroutine its own io_context and checks that it runs dry,
// a way to await a condition without a clock, an echoing HTTP handler, and one-line
// client calls. Not thread-safe: everything runs on the test's own io_context.
#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <utility>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "adapters/net/http_client.hpp"
#include "adapters/net/http_server.hpp"
#include "adapters/net/http_types.hpp"

namespace testing {

inline constexpr auto use_tuple = boost::asio::as_tuple(boost::asio::use_awaitable);

// Runs one test coroutine on its own io_context. The deadline only guards against a
// hang; afterwards the context must run dry, which proves that stop() and the
// destructors left nothing pending.
void run(boost::asio::awaitable<void> (*test)(boost::asio::any_io_executor),
         std::chrono::seconds deadline = std::chrono::seconds{20});

// Lets the test coroutine wait until a condition holds, woken by notify().
class Notifier {
 public:
  explicit Notifier(boost::asio::any_io_executor ex) : timer_(std::move(ex)) {}
  void notify() { timer_.cancel(); }
  boost::asio::awaitable<void> until(std::function<bool()> ready);

 private:
  boost::asio::steady_timer timer_;
};

std::string base_url(const net::HttpServer& server);
net::HttpResponse text(int status, std::string body);
// Echoes what it got, so tests see the request as the server saw it; /big answers
// 10000 bytes and /boom throws.
boost::asio::awaitable<net::HttpResponse> echo(net::ServerRequest req);
net::HttpRequest get(std::string url);
boost::asio::awaitable<net::HttpResponse> send(net::HttpClient& client, net::HttpRequest req);
// The one try per failing call lives here, so test bodies stay straight-line.
boost::asio::awaitable<std::optional<net::NetError>> send_failure(net::HttpClient& client, net::HttpRequest req);

}  // namespace testing
