#include "adapters/net/http_server.hpp"

#include <array>
#include <list>
#include <map>
#include <optional>
#include <utility>
#include <vector>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket/rfc6455.hpp>
#include <spdlog/spdlog.h>

#include "adapters/net/log_throttle.hpp"
#include "adapters/net/net_internal.hpp"

namespace net {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;
using boost::system::error_code;

namespace {

using detail::is_http_error;
using detail::use_tuple;
// How much of an unwanted request body is read and thrown away after a 413 or 400
// before the connection is simply closed.
constexpr std::size_t drain_limit = 64 * 1024 * 1024;

auto log_failure(std::string what) {
  return [what = std::move(what)](const std::exception_ptr& e) {
    if (!e) return;
    try {
      std::rethrow_exception(e);
    } catch (const std::exception& x) {
      spdlog::error("{}: {}", what, x.what());
    } catch (...) {
      spdlog::error("{}: unknown exception", what);
    }
  };
}

std::string describe(const std::exception_ptr& e) {
  try {
    std::rethrow_exception(e);
  } catch (const std::exception& x) {
    return x.what();
  } catch (...) {
    return "unknown exception";
  }
}

std::string to_string(const tcp::endpoint& endpoint) {
  const auto address = endpoint.address();
  return (address.is_v6() ? "[" + address.to_string() + "]" : address.to_string()) + ":" +
         std::to_string(endpoint.port());
}

ServerRequest to_server_request(http::request<http::string_body>&& req, const std::string& remote) {
  ServerRequest out;
  out.method = std::string{req.method_string()};
  out.target = std::string{req.target()};
  for (const auto& field : req) out.headers.emplace_back(std::string{field.name_string()}, std::string{field.value()});
  out.body = std::move(req.body());
  out.remote = remote;
  return out;
}

// Arms a deadline that cancels, rather than closes, the socket, so that a 408 can still
// be written afterwards (tcp_stream's own expiry closes it).
struct Watchdog {
  struct State {
    bool armed = true;
    bool fired = false;
  };
  std::shared_ptr<State> state = std::make_shared<State>();
  asio::steady_timer timer;

  Watchdog(const std::shared_ptr<beast::tcp_stream>& stream, std::chrono::milliseconds timeout)
      : timer(stream->get_executor()) {
    timer.expires_after(timeout);
    // The handler may already be queued when the read completes: `armed` tells it that
    // the deadline no longer applies.
    timer.async_wait([state = state, weak = std::weak_ptr<beast::tcp_stream>(stream)](const error_code& ec) {
      if (ec || !state->armed) return;
      state->fired = true;
      if (auto s = weak.lock()) {
        error_code ignored;
        s->socket().cancel(ignored);
      }
    });
  }
  Watchdog(const Watchdog&) = delete;
  Watchdog& operator=(const Watchdog&) = delete;
  // True when the deadline passed first.
  bool disarm() {
    state->armed = false;
    timer.cancel();
    return state->fired;
  }
};

}  // namespace

struct HttpServer::Impl : std::enable_shared_from_this<HttpServer::Impl> {
  using Stream = std::shared_ptr<beast::tcp_stream>;

  // Keeps a session's stream in `connections` for stop() while the session runs.
  struct Tracked {
    Impl* impl;
    std::list<std::weak_ptr<beast::tcp_stream>>::iterator it;
    Tracked(Impl* i, const Stream& stream) : impl(i), it(i->connections.insert(i->connections.end(), stream)) {}
    Tracked(const Tracked&) = delete;
    Tracked& operator=(const Tracked&) = delete;
    ~Tracked() { impl->connections.erase(it); }
  };

  asio::any_io_executor executor;
  HttpServerOptions options;
  Handler handler;
  tcp::acceptor acceptor;
  std::uint16_t bound_port = 0;
  std::map<std::string, WebSocketHandler, std::less<>> websocket_handlers;
  std::list<std::weak_ptr<beast::tcp_stream>> connections;
  std::vector<std::weak_ptr<WebSocket::Impl>> websockets;
  bool started = false;
  bool stopped = false;
  std::size_t open_sessions = 0;     // counted from accept, so a burst cannot overshoot
  std::size_t body_bytes_held = 0;   // request bodies received, held until their response
  // Under a flood the log must not become the flood.
  LogThrottle connections_refused{std::chrono::seconds{10}};
  LogThrottle bodies_refused{std::chrono::seconds{10}};

  // Held by a session from accept to its end.
  struct SessionSlot {
    Impl* impl;
    explicit SessionSlot(Impl* i) : impl(i) {}
    SessionSlot(const SessionSlot&) = delete;
    SessionSlot& operator=(const SessionSlot&) = delete;
    ~SessionSlot() { --impl->open_sessions; }
  };
  // Body bytes a request holds from its header until its response is written.
  struct BodyReservation {
    Impl* impl;
    std::size_t bytes = 0;
    explicit BodyReservation(Impl* i) : impl(i) {}
    BodyReservation(const BodyReservation&) = delete;
    BodyReservation& operator=(const BodyReservation&) = delete;
    ~BodyReservation() { set(0); }
    // False, holding what it held, when `b` would take the server past its budget.
    bool set(std::size_t b) {
      if (b > bytes && impl->body_bytes_held - bytes + b > impl->options.body_budget_bytes) return false;
      impl->body_bytes_held = impl->body_bytes_held - bytes + b;
      bytes = b;
      return true;
    }
  };

  Impl(asio::any_io_executor ex, HttpServerOptions opts, Handler h)
      : executor(std::move(ex)), options(std::move(opts)), handler(std::move(h)), acceptor(executor) {
    error_code ec;
    const auto address = asio::ip::make_address(options.address, ec);
    if (ec) throw NetError(NetError::Kind::connect, "invalid listen address " + options.address);
    const tcp::endpoint endpoint{address, options.port};
    acceptor.open(endpoint.protocol(), ec);
    if (!ec) acceptor.set_option(asio::socket_base::reuse_address(true), ec);
    if (!ec) acceptor.bind(endpoint, ec);
    if (!ec) acceptor.listen(asio::socket_base::max_listen_connections, ec);
    if (!ec) bound_port = acceptor.local_endpoint(ec).port();
    if (ec) throw NetError(NetError::Kind::connect, "cannot listen on " + to_string(endpoint) + ": " + ec.message());
  }

  void stop() {
    stopped = true;
    error_code ignored;
    acceptor.close(ignored);
    for (auto& weak : connections) {
      if (auto stream = weak.lock()) stream->close();
    }
    for (auto& weak : websockets) {
      if (auto ws = weak.lock()) detail::abort_websocket(*ws);
    }
    websockets.clear();
  }

  static asio::awaitable<void> accept_loop(std::shared_ptr<Impl> self) {
    while (!self->stopped) {
      auto [ec, socket] = co_await self->acceptor.async_accept(use_tuple);
      if (self->stopped) co_return;
      if (ec) {
        // Out of descriptors and the like: pause rather than spin.
        spdlog::warn("http server on port {}: accept failed: {}", self->bound_port, ec.message());
        asio::steady_timer pause{self->executor, std::chrono::milliseconds{100}};
        co_await pause.async_wait(use_tuple);
        continue;
      }
      if (self->open_sessions >= self->options.max_connections) {
        if (const auto held = self->connections_refused.admit())
          spdlog::warn("http server on port {}: {} connections open, the most allowed (http.max_connections); "
                       "closing new ones ({} refusals not logged before this one)",
                       self->bound_port, self->open_sessions, *held);
        error_code ignored;
        socket.close(ignored);
        continue;
      }
      ++self->open_sessions;
      asio::co_spawn(self->executor, session(self, std::move(socket)), log_failure("http server session"));
    }
  }

  // Answers with `status` and closes. Closing with unread request bytes in the socket
  // makes the kernel send a reset, which can destroy the response before the client
  // reads it; so stop sending, then read and discard what is left first.
  static asio::awaitable<void> reject(std::shared_ptr<Impl> self, Stream stream, http::status status,
                                      std::string text) {
    http::response<http::string_body> res{status, 11};
    res.set(http::field::content_type, "text/plain");
    if (status == http::status::service_unavailable) res.set(http::field::retry_after, "1");
    res.body() = std::move(text);
    res.keep_alive(false);
    res.prepare_payload();
    stream->expires_after(self->options.read_timeout);
    auto [write_ec, written] = co_await http::async_write(*stream, res, use_tuple);
    if (write_ec) co_return;

    error_code ignored;
    stream->socket().shutdown(tcp::socket::shutdown_send, ignored);
    std::array<char, 8192> sink{};
    std::size_t drained = 0;
    while (drained < drain_limit) {
      auto buffer = asio::buffer(sink);
      auto [read_ec, got] = co_await stream->async_read_some(buffer, use_tuple);
      if (read_ec) break;
      drained += got;
    }
  }

  static asio::awaitable<void> serve_websocket(std::shared_ptr<Impl> self, tcp::socket socket,
                                               ServerRequest request, WebSocketHandler ws_handler) {
    WebSocketOptions ws_options;
    ws_options.handshake_timeout = self->options.read_timeout;
    auto accept = detail::accept_websocket(std::move(socket), request, ws_options);
    auto impl = co_await std::move(accept);
    if (self->stopped) {
      detail::abort_websocket(*impl);
      co_return;
    }
    std::erase_if(self->websockets, [](const std::weak_ptr<WebSocket::Impl>& w) { return w.expired(); });
    self->websockets.push_back(impl);
    auto ws = std::make_unique<WebSocket>(std::move(impl));
    auto serve = ws_handler(std::move(ws), std::move(request));
    co_await std::move(serve);
  }

  static asio::awaitable<HttpResponse> call_handler(std::shared_ptr<Impl> self, ServerRequest request) {
    const std::string method = request.method;
    const std::string path{request.path()};
    HttpResponse response;
    std::exception_ptr failure;
    try {
      auto op = self->handler(std::move(request));
      response = co_await std::move(op);
    } catch (...) {
      failure = std::current_exception();
    }
    if (failure) {
      spdlog::error("http server: handler for {} {} failed: {}", method, path, describe(failure));
      response = HttpResponse{};
      response.status = 500;
      response.headers = {{"Content-Type", "text/plain"}};
      response.body = "internal server error";
    } else if (response.status < 100 || response.status > 999) {
      spdlog::error("http server: handler for {} {} returned status {}", method, path, response.status);
      response = HttpResponse{};
      response.status = 500;
      response.headers = {{"Content-Type", "text/plain"}};
      response.body = "internal server error";
    }
    co_return response;
  }

  static asio::awaitable<void> session(std::shared_ptr<Impl> self, tcp::socket socket) {
    const SessionSlot slot{self.get()};
    if (self->stopped) co_return;
    error_code ec;
    const auto peer = socket.remote_endpoint(ec);
    const std::string remote = ec ? std::string{"unknown"} : to_string(peer);
    // For the WebSocket this may become: small frames should not wait for Nagle.
    socket.set_option(tcp::no_delay(true), ec);
    auto stream = std::make_shared<beast::tcp_stream>(std::move(socket));
    const Tracked tracked{self.get(), stream};
    beast::flat_buffer buffer;

    for (bool first = true;; first = false) {
      // Waiting for a request to begin: silence here just ends the connection.
      if (buffer.size() == 0) {
        stream->expires_after(first ? self->options.read_timeout : self->options.idle_timeout);
        auto space = buffer.prepare(8192);
        auto [wait_ec, got] = co_await stream->async_read_some(space, use_tuple);
        if (wait_ec) co_return;
        buffer.commit(got);
      }

      stream->expires_never();
      http::request_parser<http::string_body> parser;
      parser.body_limit(static_cast<std::uint64_t>(self->options.max_body_bytes));
      Watchdog watchdog{stream, self->options.read_timeout};
      auto [read_ec, read] = co_await http::async_read_header(*stream, buffer, parser, use_tuple);
      // What counts against the budget is the body that arrived, not the length a
      // header announced: a stranger announcing megabytes and sending nothing must not
      // turn everyone else away.
      BodyReservation reserved{self.get()};
      bool over_budget = false;
      while (!read_ec && !parser.is_done()) {
        auto [body_ec, body_read] = co_await http::async_read_some(*stream, buffer, parser, use_tuple);
        read_ec = body_ec;
        if (!reserved.set(parser.get().body().size())) {
          over_budget = true;
          break;
        }
      }
      const bool timed_out = watchdog.disarm();
      std::optional<std::pair<http::status, std::string>> rejection;
      if (over_budget) {
        if (const auto held = self->bodies_refused.admit())
          spdlog::warn("http server on port {}: request bodies in hand reached the budget; answering 503 ({} "
                       "refusals not logged before this one)",
                       self->bound_port, *held);
        rejection.emplace(http::status::service_unavailable, "busy; please retry");
      } else if (timed_out) {
        rejection.emplace(http::status::request_timeout, "request timeout");
      } else if (read_ec == http::error::body_limit) {
        rejection.emplace(http::status::payload_too_large, "request body too large");
      } else if (read_ec && is_http_error(read_ec) && read_ec != http::error::end_of_stream &&
                 read_ec != http::error::partial_message) {
        rejection.emplace(http::status::bad_request, "bad request");
      }
      if (rejection) {
        if (rejection->first != http::status::service_unavailable)
          spdlog::debug("http server: {} from {}: {}", static_cast<unsigned>(rejection->first), remote,
                        rejection->second);
        // The body in hand goes, and its share of the budget with it; what is read from
        // here on is thrown away.
        { auto discarded = parser.release(); }
        reserved.set(0);
        auto op = reject(self, stream, rejection->first, std::move(rejection->second));
        co_await std::move(op);
        co_return;
      }
      if (read_ec) co_return;

      auto req = parser.release();
      const bool keep_alive = req.keep_alive();
      const bool upgrade = beast::websocket::is_upgrade(req);
      ServerRequest request = to_server_request(std::move(req), remote);
      const bool head = request.method == "HEAD";

      if (upgrade) {
        const auto found = self->websocket_handlers.find(request.path());
        if (found != self->websocket_handlers.end()) {
          // The upgrade request is complete and the client waits for the answer, so
          // nothing of the WebSocket's is in `buffer` yet.
          auto ws_socket = stream->release_socket();
          asio::co_spawn(self->executor,
                         serve_websocket(self, std::move(ws_socket), std::move(request), found->second),
                         log_failure("websocket handler"));
          co_return;
        }
      }

      HttpResponse response;
      if (upgrade) {
        response.status = 404;
        response.headers = {{"Content-Type", "text/plain"}};
        response.body = "not found";
      } else {
        auto op = call_handler(self, std::move(request));
        response = co_await std::move(op);
      }

      http::response<http::string_body> res;
      res.version(11);
      res.result(static_cast<unsigned>(response.status));
      for (const auto& [name, value] : response.headers) {
        const auto field = http::string_to_field(name);
        // Framing is ours to set; a line break would split the header.
        if (field == http::field::content_length || field == http::field::transfer_encoding ||
            field == http::field::connection || value.find_first_of("\r\n") != std::string::npos) {
          continue;
        }
        res.insert(name, value);
      }
      res.body() = std::move(response.body);
      res.keep_alive(keep_alive);
      res.prepare_payload();
      stream->expires_after(self->options.read_timeout);
      error_code write_ec;
      if (head) {
        // The headers a GET would get, Content-Length included, and no body.
        http::response_serializer<http::string_body> serializer{res};
        auto [ec_head, written] = co_await http::async_write_header(*stream, serializer, use_tuple);
        write_ec = ec_head;
      } else {
        auto [ec_full, written] = co_await http::async_write(*stream, res, use_tuple);
        write_ec = ec_full;
      }
      if (write_ec || !keep_alive || self->stopped) {
        error_code ignored;
        stream->socket().shutdown(tcp::socket::shutdown_send, ignored);
        co_return;
      }
    }
  }
};

HttpServer::HttpServer(boost::asio::any_io_executor executor, HttpServerOptions options, Handler handler)
    : impl_(std::make_shared<Impl>(std::move(executor), std::move(options), std::move(handler))) {}

HttpServer::~HttpServer() { impl_->stop(); }

void HttpServer::on_websocket(std::string path, WebSocketHandler handler) {
  impl_->websocket_handlers.insert_or_assign(std::move(path), std::move(handler));
}

std::uint16_t HttpServer::port() const { return impl_->bound_port; }

void HttpServer::start() {
  if (impl_->started || impl_->stopped) return;
  impl_->started = true;
  boost::asio::co_spawn(impl_->executor, Impl::accept_loop(impl_), log_failure("http server accept loop"));
}

void HttpServer::stop() { impl_->stop(); }

}  // namespace net
