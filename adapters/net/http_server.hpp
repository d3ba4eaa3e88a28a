#pragma once
// A small HTTP/1.1 server: one coroutine per connection, keep-alive, a body size limit
// (413), a deadline on reading a request (408) and on idle connections, and 400 for
// anything that does not parse. Memory stays bounded under abuse: a cap on connections
// and a budget for the request bodies held at once (503 past it). HEAD is answered
// with the headers of the GET. Handlers get the raw body bytes. Requests that ask to
// upgrade to WebSocket on a path registered with on_websocket are accepted and handed
// over (used by the test fakes of Slack). Handler exceptions become 500 with nothing
// of the exception in the body.
// Thread-safety: use from the io_context thread that runs its executor.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>

#include "adapters/net/http_types.hpp"
#include "adapters/net/websocket.hpp"

namespace net {

struct HttpServerOptions {
  std::string address = "127.0.0.1";
  std::uint16_t port = 0;  // 0: an ephemeral port; port() tells which
  std::size_t max_body_bytes = 1024 * 1024;
  // Bounds on what strangers can make the server hold: connections beyond this many are
  // closed as they come, and a request whose body, as it arrives, would take the bodies
  // being read and handled past the budget gets 503 with Retry-After. Bytes count as
  // they arrive: a header announcing a large body counts for nothing until they come
  // (Beast reserves the string's capacity at once, which the kernel backs with memory
  // only as it fills).
  std::size_t max_connections = 512;
  std::size_t body_budget_bytes = 16 * 1024 * 1024;
  std::chrono::milliseconds read_timeout{10000};
  std::chrono::milliseconds idle_timeout{60000};
};

class HttpServer {
 public:
  using Handler = std::function<boost::asio::awaitable<HttpResponse>(ServerRequest)>;
  using WebSocketHandler = std::function<boost::asio::awaitable<void>(std::unique_ptr<WebSocket>, ServerRequest)>;

  // Binds and listens at once (throws NetError when the address is taken); serves
  // after start().
  HttpServer(boost::asio::any_io_executor executor, HttpServerOptions options, Handler handler);
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  void on_websocket(std::string path, WebSocketHandler handler);
  std::uint16_t port() const;
  void start();
  // Stops accepting and closes open connections.
  void stop();

 private:
  struct Impl;
  std::shared_ptr<Impl> impl_;
};

}  // namespace net
