// WebSocket through HttpServer's upgrade on loopback: echo, pings both ways, closes
// from either side with code and reason, ordered writes from many coroutines, a
// refused upgrade, and HttpServer::stop() with a WebSocket open.
// Everything awaits events; the only clock is each test's safety deadline.
#include <catch2/catch.hpp>

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "adapters/net/http_client.hpp"
#include "adapters/net/http_server.hpp"
#include "adapters/net/http_types.hpp"
#include "adapters/net/websocket.hpp"
#include "tests/support/net_loopback.hpp"

using Catch::Matchers::Contains;

namespace {

namespace asio = boost::asio;
using namespace std::chrono_literals;
// The loopback helpers (tests/support/net_loopback.hpp).
using namespace testing;

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

}  // namespace

TEST_CASE("WebSocket echo, pings both ways and close", "[net]") { run(ws_echo_and_control); }

TEST_CASE("WebSocket close from the server carries code and reason", "[net]") { run(ws_server_closes); }

TEST_CASE("WebSocket writes from many coroutines arrive in order", "[net]") { run(ws_many_writers); }

TEST_CASE("WebSocket abort and a refused upgrade", "[net]") { run(ws_abort_and_refusal); }

TEST_CASE("HttpServer::stop() closes open connections", "[net]") { run(server_stop); }
