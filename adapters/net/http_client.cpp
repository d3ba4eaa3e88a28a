#include "adapters/net/http_client.hpp"

#include <algorithm>
#include <deque>
#include <map>
#include <vector>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>

#include "adapters/net/net_internal.hpp"

namespace net {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace ssl = asio::ssl;
using tcp = asio::ip::tcp;
using Clock = std::chrono::steady_clock;
using boost::system::error_code;

namespace {

using detail::is_http_error;
using detail::use_tuple;
// Slack and friends send a lot of headers; Beast's default of 8 KiB is tight.
constexpr std::uint32_t header_limit = 64 * 1024;

struct Connection {
  std::unique_ptr<beast::tcp_stream> plain;
  std::unique_ptr<beast::ssl_stream<beast::tcp_stream>> tls;
  beast::flat_buffer buffer;
  Clock::time_point idle_since;

  beast::tcp_stream& lowest() { return tls ? beast::get_lowest_layer(*tls) : *plain; }
  // No TLS close_notify: the server learns of the close from the TCP FIN just as well,
  // and waiting for its answer would need a deadline of its own.
  void close() { lowest().close(); }
};

struct Pool {
  std::vector<std::unique_ptr<Connection>> idle;
  std::size_t open = 0;  // idle + lent out + being connected
  std::deque<std::shared_ptr<asio::steady_timer>> waiters;
};

enum class Failure { none, stale, timeout, too_large, closed, protocol, tls };

struct Outcome {
  Failure failure = Failure::none;
  std::string detail;
  bool keep_alive = false;
};

bool is_ssl_error(const error_code& ec) {
  return ec.category() == asio::error::get_ssl_category() ||
         ec.category() == ssl::error::make_error_code(ssl::error::stream_truncated).category();
}

// A pooled connection the server has closed fails at once on write, or reads EOF or a
// reset before a single byte of the response: that request never reached a handler.
Failure classify(const error_code& ec, bool got_response_bytes) {
  if (ec == beast::error::timeout) return Failure::timeout;
  if (ec == http::error::body_limit || ec == http::error::header_limit) return Failure::too_large;
  const bool dropped = ec == http::error::end_of_stream || ec == asio::error::eof ||
                       ec == asio::error::connection_reset || ec == asio::error::broken_pipe ||
                       ec == asio::error::connection_aborted || ec == ssl::error::stream_truncated;
  if (dropped) return got_response_bytes ? Failure::closed : Failure::stale;
  if (is_http_error(ec)) return Failure::protocol;
  if (is_ssl_error(ec)) return Failure::tls;
  return Failure::closed;
}

template <class Stream>
asio::awaitable<Outcome> exchange(Stream& stream, Connection& conn, http::request<http::string_body>& request,
                                  http::response_parser<http::string_body>& parser,
                                  std::chrono::milliseconds timeout) {
  Outcome outcome;
  // One deadline for the write and the whole response: tcp_stream applies it to every
  // operation started until it is set again.
  conn.lowest().expires_after(timeout);
  auto [write_ec, written] = co_await http::async_write(stream, request, use_tuple);
  if (write_ec) {
    outcome.failure = classify(write_ec, false);
    outcome.detail = "write failed: " + write_ec.message();
    co_return outcome;
  }
  auto [read_ec, read] = co_await http::async_read(stream, conn.buffer, parser, use_tuple);
  if (read_ec) {
    outcome.failure = classify(read_ec, parser.got_some());
    outcome.detail = "read failed: " + read_ec.message();
    co_return outcome;
  }
  outcome.keep_alive = parser.get().keep_alive() && !parser.get().need_eof();
  co_return outcome;
}

bool has_line_break(std::string_view s) { return s.find_first_of("\r\n") != std::string_view::npos; }

bool is_token(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) {
    const auto u = static_cast<unsigned char>(c);
    return std::isalnum(u) != 0 || std::string_view{"!#$%&'*+-.^_`|~"}.find(c) != std::string_view::npos;
  });
}

std::string host_header(const Endpoint& endpoint) {
  const bool default_port = endpoint.port == (endpoint.tls() ? 443 : 80);
  if (!default_port) return detail::where(endpoint);
  return endpoint.host.find(':') != std::string::npos ? "[" + endpoint.host + "]" : endpoint.host;
}

}  // namespace

struct HttpClient::Impl {
  // Holds one pool slot (Pool::open) until it is given back; on any other way out
  // (an exception, a destroyed coroutine) the slot is freed and the connection closed.
  struct Lease {
    Impl* impl;
    Pool* pool;
    std::unique_ptr<Connection> conn;
    bool counted = false;
    bool reused = false;
    Lease(Impl* i, Pool* p) : impl(i), pool(p) {}
    Lease(const Lease&) = delete;
    Lease& operator=(const Lease&) = delete;
    ~Lease() {
      if (counted) impl->give_back(*pool, std::move(conn), false);
    }
  };

  asio::any_io_executor executor;
  HttpClientOptions options;
  // Made on the first https:// request: loading the system's trust store takes a tenth
  // of a second, which clients of plain http:// (local fakes) need not pay. Declared
  // before `pools` so that it outlives every connection.
  std::unique_ptr<ssl::context> tls_context;
  std::map<std::string, Pool> pools;

  Impl(asio::any_io_executor ex, HttpClientOptions opts) : executor(std::move(ex)), options(std::move(opts)) {}

  ssl::context& tls() {
    if (!tls_context) tls_context = std::make_unique<ssl::context>(detail::make_client_tls_context(options.ca_file));
    return *tls_context;
  }

  ~Impl() { close_idle(); }

  std::size_t max_per_host() const { return std::max<std::size_t>(1, options.max_connections_per_host); }

  void wake_one(Pool& pool) {
    if (pool.waiters.empty()) return;
    auto waiter = std::move(pool.waiters.front());
    pool.waiters.pop_front();
    waiter->cancel();
  }

  void give_back(Pool& pool, std::unique_ptr<Connection> conn, bool reusable) {
    // One opened past the cap for an urgent request is not kept for everyone else.
    if (reusable && conn && pool.open <= max_per_host()) {
      conn->idle_since = Clock::now();
      pool.idle.push_back(std::move(conn));
    } else {
      if (conn) conn->close();
      --pool.open;
    }
    wake_one(pool);
  }

  void drop_idle(Pool& pool, bool only_expired) {
    const auto now = Clock::now();
    const auto before = pool.idle.size();
    std::erase_if(pool.idle, [&](const std::unique_ptr<Connection>& conn) {
      if (only_expired && now - conn->idle_since < options.idle_timeout) return false;
      conn->close();
      return true;
    });
    for (auto n = before - pool.idle.size(); n > 0; --n) {
      --pool.open;
      wake_one(pool);
    }
  }

  void close_idle() {
    for (auto& [key, pool] : pools) drop_idle(pool, false);
  }

  static asio::awaitable<std::unique_ptr<Connection>> connect(std::shared_ptr<Impl> self, Endpoint endpoint) {
    const auto deadline = Clock::now() + self->options.connect_timeout;
    auto results = co_await detail::resolve(self->executor, endpoint, deadline);

    auto conn = std::make_unique<Connection>();
    if (endpoint.tls()) {
      conn->tls = std::make_unique<beast::ssl_stream<beast::tcp_stream>>(self->executor, self->tls());
    } else {
      conn->plain = std::make_unique<beast::tcp_stream>(self->executor);
    }
    conn->lowest().expires_at(deadline);
    auto [connect_ec, connected] = co_await conn->lowest().async_connect(results, use_tuple);
    if (connect_ec == beast::error::timeout) {
      throw NetError(NetError::Kind::timeout, "timed out connecting to " + detail::where(endpoint));
    }
    if (connect_ec) {
      throw NetError(NetError::Kind::connect,
                     "cannot connect to " + detail::where(endpoint) + ": " + connect_ec.message());
    }
    // Requests are small and latency-bound: Nagle would hold a body back behind its
    // header until the server's delayed ACK (40 ms).
    error_code nodelay_ignored;
    conn->lowest().socket().set_option(asio::ip::tcp::no_delay(true), nodelay_ignored);

    if (conn->tls) {
      error_code not_ip;
      asio::ip::make_address(endpoint.host, not_ip);
      // SNI is for names only (RFC 6066); SSL_set_tlsext_host_name is a macro with a C cast.
      if (not_ip && SSL_ctrl(conn->tls->native_handle(), SSL_CTRL_SET_TLSEXT_HOSTNAME, TLSEXT_NAMETYPE_host_name,
                             const_cast<char*>(endpoint.host.c_str())) != 1) {
        throw NetError(NetError::Kind::tls, "cannot set SNI for " + detail::where(endpoint));
      }
      conn->tls->set_verify_callback(ssl::host_name_verification(endpoint.host));
      auto [handshake_ec] = co_await conn->tls->async_handshake(ssl::stream_base::client, use_tuple);
      if (handshake_ec == beast::error::timeout) {
        throw NetError(NetError::Kind::timeout, "timed out in the TLS handshake with " + detail::where(endpoint));
      }
      if (handshake_ec) {
        throw NetError(NetError::Kind::tls,
                       "TLS handshake with " + detail::where(endpoint) + " failed: " + handshake_ec.message());
      }
    }
    co_return conn;
  }

  // Fills `lease` with an idle connection or a new one, or waits for one to come free.
  // `fresh` skips idle connections: after one turned out stale the others may be too.
  static asio::awaitable<void> acquire(std::shared_ptr<Impl> self, Pool& pool, Endpoint endpoint, bool fresh,
                                       bool urgent, Lease& lease) {
    for (;;) {
      self->drop_idle(pool, true);
      if (!pool.idle.empty() && !fresh) {
        lease.conn = std::move(pool.idle.back());
        pool.idle.pop_back();
        lease.counted = true;
        lease.reused = true;
        co_return;
      }
      if (!pool.idle.empty() && pool.open >= self->max_per_host()) {
        pool.idle.front()->close();
        pool.idle.erase(pool.idle.begin());
        --pool.open;
      }
      // An urgent request may go past the cap by as many again, never further.
      if (pool.open < self->max_per_host() || (urgent && pool.open < 2 * self->max_per_host())) {
        ++pool.open;
        lease.counted = true;
        lease.reused = false;
        lease.conn = co_await connect(self, endpoint);
        co_return;
      }
      // Woken by wake_one() cancelling the timer; it never expires on its own.
      auto waiter = std::make_shared<asio::steady_timer>(self->executor, asio::steady_timer::time_point::max());
      pool.waiters.push_back(waiter);
      co_await waiter->async_wait(use_tuple);
      std::erase(pool.waiters, waiter);
    }
  }

  static http::request<http::string_body> to_beast(HttpRequest& request, const Endpoint& endpoint,
                                                   const std::string& user_agent) {
    if (!is_token(request.method)) throw NetError(NetError::Kind::protocol, "invalid HTTP method");
    http::request<http::string_body> req;
    const auto verb = http::string_to_verb(request.method);
    if (verb == http::verb::unknown) {
      req.method_string(request.method);
    } else {
      req.method(verb);
    }
    req.target(endpoint.target);
    req.version(11);
    for (const auto& [name, value] : request.headers) {
      if (!is_token(name)) throw NetError(NetError::Kind::protocol, "invalid header name");
      if (has_line_break(value)) throw NetError(NetError::Kind::protocol, "line break in the value of header " + name);
      const auto field = http::string_to_field(name);
      // Framing and routing headers are ours to set.
      if (field == http::field::host || field == http::field::content_length ||
          field == http::field::transfer_encoding || field == http::field::user_agent) {
        continue;
      }
      req.insert(name, value);
    }
    req.set(http::field::host, host_header(endpoint));
    req.set(http::field::user_agent, user_agent);
    req.body() = std::move(request.body);
    req.prepare_payload();
    return req;
  }

  static HttpResponse to_response(http::response<http::string_body>&& msg) {
    HttpResponse response;
    response.status = static_cast<int>(msg.result_int());
    for (const auto& field : msg) {
      response.headers.emplace_back(std::string{field.name_string()}, std::string{field.value()});
    }
    response.body = std::move(msg.body());
    return response;
  }

  static asio::awaitable<HttpResponse> send(std::shared_ptr<Impl> self, HttpRequest request) {
    auto endpoint = parse_endpoint(request.url);
    // The URL is left out of the message: its query may carry a token.
    if (!endpoint || (endpoint->scheme != "http" && endpoint->scheme != "https")) {
      throw NetError(NetError::Kind::protocol, "not an http:// or https:// URL");
    }
    const std::string method = request.method;
    const bool request_urgent = request.urgent;
    const std::string where = method + " " + endpoint->scheme + "://" + detail::where(*endpoint);
    auto req = to_beast(request, *endpoint, self->options.user_agent);
    Pool& pool = self->pools[endpoint->scheme + "://" + detail::where(*endpoint)];

    for (int attempt = 0;; ++attempt) {
      Lease lease{self.get(), &pool};
      co_await acquire(self, pool, *endpoint, attempt > 0, request_urgent, lease);

      http::response_parser<http::string_body> parser;
      parser.body_limit(static_cast<std::uint64_t>(self->options.max_response_bytes));
      parser.header_limit(header_limit);
      if (req.method() == http::verb::head) parser.skip(true);

      Outcome outcome;
      if (lease.conn->tls) {
        outcome = co_await exchange(*lease.conn->tls, *lease.conn, req, parser, self->options.request_timeout);
      } else {
        outcome = co_await exchange(*lease.conn->plain, *lease.conn, req, parser, self->options.request_timeout);
      }

      if (outcome.failure == Failure::none) {
        auto response = to_response(parser.release());
        lease.counted = false;
        self->give_back(pool, std::move(lease.conn), outcome.keep_alive);
        co_return response;
      }
      if (outcome.failure == Failure::stale && lease.reused && attempt == 0) continue;

      switch (outcome.failure) {
        case Failure::timeout:
          throw NetError(NetError::Kind::timeout, where + ": timed out");
        case Failure::too_large:
          throw NetError(NetError::Kind::too_large, where + ": response larger than the limit");
        case Failure::protocol:
          throw NetError(NetError::Kind::protocol, where + ": malformed response: " + outcome.detail);
        case Failure::tls:
          throw NetError(NetError::Kind::tls, where + ": " + outcome.detail);
        case Failure::none:
        case Failure::stale:
        case Failure::closed:
          break;
      }
      throw NetError(NetError::Kind::closed, where + ": connection closed: " + outcome.detail);
    }
  }
};

HttpClient::HttpClient(boost::asio::any_io_executor executor, HttpClientOptions options)
    : impl_(std::make_shared<Impl>(std::move(executor), std::move(options))) {}

HttpClient::~HttpClient() { impl_->close_idle(); }

// A plain function that hands the coroutine a shared owner, so that an in-flight send
// outlives the HttpClient that started it.
boost::asio::awaitable<HttpResponse> HttpClient::send(HttpRequest request) {
  return Impl::send(impl_, std::move(request));
}

void HttpClient::close_idle() { impl_->close_idle(); }

}  // namespace net
