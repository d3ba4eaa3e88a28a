#pragma once
// One WebSocket connection carrying text messages (RFC 6455 over ws:// or wss://),
// client side (connect) or server side (accepted by HttpServer, for test fakes). Writes
// are queued so that only one is in flight, as Beast requires; pings and the close
// frame go through the same queue. Pings from the peer are answered automatically and
// reported to on_ping, pongs to on_pong, so the owner can judge liveness.
// Thread-safety: use from the io_context thread that runs its executor.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>

#include "adapters/net/http_types.hpp"

namespace net {

struct WebSocketOptions {
  std::chrono::milliseconds handshake_timeout{10000};  // TCP + TLS + upgrade; also the closing handshake
  std::size_t max_message_bytes = 4 * 1024 * 1024;
  std::string ca_file;  // empty: the system's trust store
};

class WebSocket {
 public:
  struct Impl;
  explicit WebSocket(std::shared_ptr<Impl> impl);
  // Drops the connection, unless close() was called: that handshake then finishes on
  // its own.
  ~WebSocket();
  WebSocket(const WebSocket&) = delete;
  WebSocket& operator=(const WebSocket&) = delete;

  // Opens ws:// or wss:// `url` (target = path + query). Throws NetError.
  static boost::asio::awaitable<std::unique_ptr<WebSocket>> connect(boost::asio::any_io_executor executor,
                                                                    std::string url, WebSocketOptions options = {});

  // The next whole text message. Throws NetError (Kind::closed with the peer's close
  // code and reason in the message) when the connection ends or fails.
  boost::asio::awaitable<std::string> read();
  // Queues a text message; completes when it was written. Throws NetError.
  boost::asio::awaitable<void> write(std::string text);
  // Queues a ping frame; does not wait for the pong.
  void ping(std::string payload);
  // Queues a close frame; read() then ends once the peer answers.
  void close(std::uint16_t code = 1000, std::string reason = {});
  // Drops the connection at once, failing pending reads and writes.
  void abort();
  bool is_open() const;
  // Open, and no close frame queued: a message written now can still go out.
  bool writable() const;
  // Whether bytes already wait on the socket, so the next read() will not wait for
  // the network: a receiver can gather what arrived together before acting on it.
  bool input_pending() const;

  void on_ping(std::function<void(std::string_view payload)> f);
  void on_pong(std::function<void(std::string_view payload)> f);

 private:
  std::shared_ptr<Impl> impl_;
};

}  // namespace net
