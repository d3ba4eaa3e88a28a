#include "adapters/net/websocket.hpp"

#include <deque>
#include <optional>
#include <type_traits>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/beast/websocket/ssl.hpp>
#include <spdlog/spdlog.h>

#include "adapters/net/net_internal.hpp"

namespace net {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace websocket = beast::websocket;
namespace ssl = asio::ssl;
using Clock = std::chrono::steady_clock;
using boost::system::error_code;

namespace {

using detail::use_tuple;

// One queued frame. write() waits on `signal`, which the writer cancels once the frame
// is on the wire (or failed), and so does a read() that our close frame cut short; a
// ping has no signal.
struct Pending {
  enum class Kind { text, ping, close };
  Kind kind = Kind::text;
  std::string data;
  std::uint16_t code = 1000;
  std::optional<asio::steady_timer> signal;
  bool done = false;
  error_code ec;
};

// Beast's suggested timeouts, with our limit on the opening and closing handshakes but
// without the idle timeout and keep-alive pings (the server's suggestion), because the
// owner runs its own liveness checks.
websocket::stream_base::timeout timeouts(beast::role_type role, std::chrono::milliseconds handshake) {
  auto t = websocket::stream_base::timeout::suggested(role);
  t.handshake_timeout = std::chrono::duration_cast<std::chrono::steady_clock::duration>(handshake);
  t.idle_timeout = websocket::stream_base::none();
  t.keep_alive_pings = false;
  return t;
}

template <class Ws>
asio::awaitable<error_code> write_frame(Ws& ws, const Pending& frame) {
  // A close frame after the peer's (Beast has answered it already) would trip Beast's
  // "close twice" assertion; nothing else can be sent then either.
  if (!ws.is_open()) co_return websocket::error::closed;
  switch (frame.kind) {
    case Pending::Kind::text: {
      ws.text(true);
      auto buffer = asio::buffer(frame.data);
      auto [ec, written] = co_await ws.async_write(buffer, use_tuple);
      co_return ec;
    }
    case Pending::Kind::ping: {
      const websocket::ping_data payload{frame.data.data(), frame.data.size()};
      auto [ec] = co_await ws.async_ping(payload, use_tuple);
      co_return ec;
    }
    case Pending::Kind::close: {
      websocket::close_reason reason{frame.code};
      reason.reason.assign(frame.data.data(), frame.data.size());
      auto [ec] = co_await ws.async_close(reason, use_tuple);
      co_return ec;
    }
  }
  co_return error_code{};
}

}  // namespace

struct WebSocket::Impl : std::enable_shared_from_this<WebSocket::Impl> {
  using Plain = websocket::stream<beast::tcp_stream>;
  using Tls = websocket::stream<beast::ssl_stream<beast::tcp_stream>>;

  asio::any_io_executor executor;
  std::string peer;  // host:port, for messages
  std::unique_ptr<ssl::context> tls_context;  // declared before `tls`, which uses it
  std::unique_ptr<Plain> plain;
  std::unique_ptr<Tls> tls;
  beast::flat_buffer read_buffer;
  std::deque<std::shared_ptr<Pending>> queue;
  bool writing = false;
  bool aborted = false;
  std::shared_ptr<Pending> close_frame;  // set by close()
  error_code write_failure;
  std::function<void(std::string_view)> ping_handler;
  std::function<void(std::string_view)> pong_handler;

  Impl(asio::any_io_executor ex, std::string where) : executor(std::move(ex)), peer(std::move(where)) {}

  template <class Ws>
  void configure(Ws& ws, beast::role_type role, const WebSocketOptions& options) {
    ws.set_option(timeouts(role, options.handshake_timeout));
    ws.read_message_max(options.max_message_bytes);
    ws.auto_fragment(false);
    if (role == beast::role_type::client) {
      ws.set_option(websocket::stream_base::decorator(
          [](websocket::request_type& req) { req.set(http::field::user_agent, "coachbot"); }));
    }
    // Beast calls this from inside a read; it answers pings itself.
    ws.control_callback([this](websocket::frame_type kind, beast::string_view payload) {
      const std::string_view view{payload.data(), payload.size()};
      if (kind == websocket::frame_type::ping && ping_handler) ping_handler(view);
      if (kind == websocket::frame_type::pong && pong_handler) pong_handler(view);
    });
  }

  bool is_open() const {
    if (aborted) return false;
    return tls ? tls->is_open() : plain && plain->is_open();
  }

  void abort() {
    aborted = true;
    if (tls) beast::get_lowest_layer(*tls).close();
    if (plain) beast::get_lowest_layer(*plain).close();
  }

  void enqueue(std::shared_ptr<Pending> frame) {
    queue.push_back(std::move(frame));
    if (writing) return;
    writing = true;
    asio::co_spawn(executor, drain(shared_from_this()), [](const std::exception_ptr& e) {
      if (!e) return;
      try {
        std::rethrow_exception(e);
      } catch (const std::exception& x) {
        spdlog::error("websocket writer failed: {}", x.what());
      }
    });
  }

  // The one writer: Beast allows a single write (text, ping or close) in flight.
  static asio::awaitable<void> drain(std::shared_ptr<Impl> self) {
    while (!self->queue.empty()) {
      auto frame = std::move(self->queue.front());
      self->queue.pop_front();
      error_code ec = self->write_failure;
      if (!ec && self->aborted) ec = asio::error::operation_aborted;
      if (!ec) {
        if (self->tls) {
          ec = co_await write_frame(*self->tls, *frame);
        } else {
          ec = co_await write_frame(*self->plain, *frame);
        }
      }
      if (ec && !self->write_failure) self->write_failure = ec;
      frame->ec = ec;
      frame->done = true;
      if (frame->signal) frame->signal->cancel();
    }
    self->writing = false;
  }

  // The peer's close frame, as far as one arrived.
  NetError closed_error() const {
    const auto& reason = tls ? tls->reason() : plain->reason();
    std::string what = "websocket " + peer + " closed: code " + std::to_string(reason.code);
    if (!reason.reason.empty()) what += " " + std::string{reason.reason.data(), reason.reason.size()};
    return NetError(NetError::Kind::closed, what);
  }

  NetError error(const error_code& ec, const char* during) const {
    if (ec == websocket::error::closed) return closed_error();
    if (ec == websocket::error::message_too_big) {
      return NetError(NetError::Kind::too_large, "websocket " + peer + ": message larger than the limit");
    }
    if (ec == beast::error::timeout) return NetError(NetError::Kind::timeout, "websocket " + peer + ": timed out");
    if (aborted) return NetError(NetError::Kind::closed, "websocket " + peer + ": aborted");
    return NetError(NetError::Kind::closed, "websocket " + peer + ": " + during + " failed: " + ec.message());
  }

  static asio::awaitable<std::string> read(std::shared_ptr<Impl> self) {
    for (;;) {
      error_code ec;
      bool text = true;
      if (self->tls) {
        auto [read_ec, n] = co_await self->tls->async_read(self->read_buffer, use_tuple);
        ec = read_ec;
        text = self->tls->got_text();
      } else {
        auto [read_ec, n] = co_await self->plain->async_read(self->read_buffer, use_tuple);
        ec = read_ec;
        text = self->plain->got_text();
      }
      // Beast lets our own close frame take over reading, and then fails the read that
      // was waiting with operation_aborted; the outcome is the closing handshake's.
      if (ec == asio::error::operation_aborted && self->close_frame && !self->aborted) {
        auto close_frame = self->close_frame;
        if (!close_frame->done) co_await close_frame->signal->async_wait(use_tuple);
        if (close_frame->ec && close_frame->ec != websocket::error::closed) throw self->error(close_frame->ec, "close");
        throw self->closed_error();
      }
      if (ec) throw self->error(ec, "read");
      if (!text) {
        // Nobody we talk to sends binary frames; skipping one beats failing the session.
        spdlog::warn("websocket {}: ignored a binary message of {} bytes", self->peer, self->read_buffer.size());
        self->read_buffer.consume(self->read_buffer.size());
        continue;
      }
      std::string message = beast::buffers_to_string(self->read_buffer.data());
      self->read_buffer.consume(self->read_buffer.size());
      co_return message;
    }
  }

  static asio::awaitable<void> write(std::shared_ptr<Impl> self, std::string text) {
    auto frame = std::make_shared<Pending>();
    frame->kind = Pending::Kind::text;
    frame->data = std::move(text);
    frame->signal.emplace(self->executor, asio::steady_timer::time_point::max());
    self->enqueue(frame);
    if (!frame->done) {
      co_await frame->signal->async_wait(use_tuple);
    }
    if (frame->ec) throw self->error(frame->ec, "write");
  }

  template <class Ws>
  static asio::awaitable<void> handshake(std::shared_ptr<Impl> self, Ws& ws, Endpoint endpoint,
                                         asio::ip::tcp::resolver::results_type results,
                                         Clock::time_point deadline) {
    auto& lowest = beast::get_lowest_layer(ws);
    lowest.expires_at(deadline);
    auto [connect_ec, connected] = co_await lowest.async_connect(results, use_tuple);
    if (connect_ec == beast::error::timeout) {
      throw NetError(NetError::Kind::timeout, "timed out connecting to " + self->peer);
    }
    if (connect_ec) {
      throw NetError(NetError::Kind::connect, "cannot connect to " + self->peer + ": " + connect_ec.message());
    }

    if constexpr (std::is_same_v<Ws, Tls>) {
      auto& tls_stream = ws.next_layer();
      error_code not_ip;
      asio::ip::make_address(endpoint.host, not_ip);
      // SNI is for names only (RFC 6066); SSL_set_tlsext_host_name is a macro with a C cast.
      if (not_ip && SSL_ctrl(tls_stream.native_handle(), SSL_CTRL_SET_TLSEXT_HOSTNAME, TLSEXT_NAMETYPE_host_name,
                             const_cast<char*>(endpoint.host.c_str())) != 1) {
        throw NetError(NetError::Kind::tls, "cannot set SNI for " + self->peer);
      }
      tls_stream.set_verify_callback(ssl::host_name_verification(endpoint.host));
      auto [tls_ec] = co_await tls_stream.async_handshake(ssl::stream_base::client, use_tuple);
      if (tls_ec == beast::error::timeout) {
        throw NetError(NetError::Kind::timeout, "timed out in the TLS handshake with " + self->peer);
      }
      if (tls_ec) {
        throw NetError(NetError::Kind::tls, "TLS handshake with " + self->peer + " failed: " + tls_ec.message());
      }
    }

    // From here on the websocket's own timeouts apply; tcp_stream's would fight them.
    lowest.expires_never();
    // Small frames (acks, pings) should not wait for Nagle's algorithm.
    error_code ignored;
    lowest.socket().set_option(asio::ip::tcp::no_delay(true), ignored);
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
    ws.set_option(timeouts(beast::role_type::client, std::max(left, std::chrono::milliseconds{1})));
    websocket::response_type response;
    const std::string host = self->peer;
    auto [ws_ec] = co_await ws.async_handshake(response, host, endpoint.target, use_tuple);
    if (ws_ec == websocket::error::upgrade_declined) {
      throw NetError(NetError::Kind::protocol, "websocket upgrade to " + self->peer + " refused with status " +
                                                   std::to_string(response.result_int()));
    }
    if (ws_ec == beast::error::timeout) {
      throw NetError(NetError::Kind::timeout, "timed out in the websocket handshake with " + self->peer);
    }
    if (ws_ec) {
      throw NetError(NetError::Kind::protocol,
                     "websocket handshake with " + self->peer + " failed: " + ws_ec.message());
    }
  }
};

WebSocket::WebSocket(std::shared_ptr<Impl> impl) : impl_(std::move(impl)) {}

WebSocket::~WebSocket() {
  // A close already queued finishes on its own, bounded by Beast's handshake timeout.
  if (impl_ && !impl_->close_frame) impl_->abort();
}

boost::asio::awaitable<std::unique_ptr<WebSocket>> WebSocket::connect(boost::asio::any_io_executor executor,
                                                                      std::string url, WebSocketOptions options) {
  auto endpoint = parse_endpoint(url);
  // The URL is left out of the message: its query may carry a ticket.
  if (!endpoint || (endpoint->scheme != "ws" && endpoint->scheme != "wss")) {
    throw NetError(NetError::Kind::protocol, "not a ws:// or wss:// URL");
  }
  const auto deadline = Clock::now() + options.handshake_timeout;
  auto results = co_await detail::resolve(executor, *endpoint, deadline);

  auto impl = std::make_shared<Impl>(executor, detail::where(*endpoint));
  if (endpoint->tls()) {
    impl->tls_context = std::make_unique<ssl::context>(detail::make_client_tls_context(options.ca_file));
    impl->tls = std::make_unique<Impl::Tls>(executor, *impl->tls_context);
    impl->configure(*impl->tls, beast::role_type::client, options);
    co_await Impl::handshake(impl, *impl->tls, *endpoint, results, deadline);
  } else {
    impl->plain = std::make_unique<Impl::Plain>(executor);
    impl->configure(*impl->plain, beast::role_type::client, options);
    co_await Impl::handshake(impl, *impl->plain, *endpoint, results, deadline);
  }
  co_return std::make_unique<WebSocket>(std::move(impl));
}

boost::asio::awaitable<std::string> WebSocket::read() { return Impl::read(impl_); }

boost::asio::awaitable<void> WebSocket::write(std::string text) { return Impl::write(impl_, std::move(text)); }

void WebSocket::ping(std::string payload) {
  auto frame = std::make_shared<Pending>();
  frame->kind = Pending::Kind::ping;
  payload.resize(std::min(payload.size(), websocket::ping_data::static_capacity));
  frame->data = std::move(payload);
  impl_->enqueue(std::move(frame));
}

void WebSocket::close(std::uint16_t code, std::string reason) {
  if (impl_->close_frame) return;
  auto frame = std::make_shared<Pending>();
  frame->kind = Pending::Kind::close;
  frame->code = code;
  // A close frame's payload is 125 bytes, two of them the code.
  reason.resize(std::min<std::size_t>(reason.size(), 123));
  frame->data = std::move(reason);
  frame->signal.emplace(impl_->executor, asio::steady_timer::time_point::max());
  impl_->close_frame = frame;
  impl_->enqueue(std::move(frame));
}

void WebSocket::abort() { impl_->abort(); }

bool WebSocket::is_open() const { return impl_->is_open(); }

bool WebSocket::writable() const { return !impl_->close_frame && impl_->is_open(); }

bool WebSocket::input_pending() const {
  error_code ec;
  std::size_t n = 0;
  if (impl_->plain) n = beast::get_lowest_layer(*impl_->plain).socket().available(ec);
  else if (impl_->tls) n = beast::get_lowest_layer(*impl_->tls).socket().available(ec);
  return !ec && n > 0;
}

void WebSocket::on_ping(std::function<void(std::string_view payload)> f) { impl_->ping_handler = std::move(f); }

void WebSocket::on_pong(std::function<void(std::string_view payload)> f) { impl_->pong_handler = std::move(f); }

namespace detail {

boost::asio::awaitable<std::shared_ptr<WebSocket::Impl>> accept_websocket(boost::asio::ip::tcp::socket socket,
                                                                          ServerRequest request,
                                                                          WebSocketOptions options) {
  auto executor = socket.get_executor();
  auto impl = std::make_shared<WebSocket::Impl>(executor, request.remote);
  beast::tcp_stream stream{std::move(socket)};
  impl->plain = std::make_unique<WebSocket::Impl::Plain>(std::move(stream));
  impl->configure(*impl->plain, beast::role_type::server, options);

  // HttpServer already parsed the upgrade request; Beast wants it back in its own type.
  http::request<http::string_body> upgrade;
  upgrade.method_string(request.method);
  upgrade.target(request.target);
  upgrade.version(11);
  for (const auto& [name, value] : request.headers) upgrade.insert(name, value);
  auto [ec] = co_await impl->plain->async_accept(upgrade, use_tuple);
  if (ec) {
    throw NetError(NetError::Kind::protocol, "websocket accept from " + impl->peer + " failed: " + ec.message());
  }
  co_return impl;
}

void abort_websocket(WebSocket::Impl& impl) { impl.abort(); }

}  // namespace detail

}  // namespace net
