#include "adapters/net/net_internal.hpp"

#include <boost/asio/steady_timer.hpp>
#include <boost/beast/http/error.hpp>

namespace net::detail {

namespace asio = boost::asio;
using asio::ip::tcp;

bool is_http_error(const boost::system::error_code& ec) {
  return ec.category() == boost::beast::http::make_error_code(boost::beast::http::error::bad_version).category();
}

std::string where(const Endpoint& endpoint) {
  const bool ipv6 = endpoint.host.find(':') != std::string::npos;
  return (ipv6 ? "[" + endpoint.host + "]" : endpoint.host) + ":" + std::to_string(endpoint.port);
}

asio::awaitable<tcp::resolver::results_type> resolve(asio::any_io_executor executor, Endpoint endpoint,
                                                     std::chrono::steady_clock::time_point deadline) {
  // The timer's handler may already be queued when the resolve completes, so it holds
  // the resolver weakly rather than by reference into this frame.
  auto resolver = std::make_shared<tcp::resolver>(executor);
  asio::steady_timer timer{executor};
  timer.expires_at(deadline);
  timer.async_wait([weak = std::weak_ptr<tcp::resolver>(resolver)](const boost::system::error_code& ec) {
    if (ec) return;
    if (auto r = weak.lock()) r->cancel();
  });
  const std::string service = std::to_string(endpoint.port);
  auto [ec, results] = co_await resolver->async_resolve(endpoint.host, service, use_tuple);
  timer.cancel();
  if (ec == asio::error::operation_aborted && std::chrono::steady_clock::now() >= deadline) {
    throw NetError(NetError::Kind::timeout, "timed out resolving " + where(endpoint));
  }
  if (ec) throw NetError(NetError::Kind::connect, "cannot resolve " + where(endpoint) + ": " + ec.message());
  co_return results;
}

asio::ssl::context make_client_tls_context(const std::string& ca_file) {
  asio::ssl::context ctx{asio::ssl::context::tls_client};
  boost::system::error_code ec;
  ctx.set_options(asio::ssl::context::default_workarounds | asio::ssl::context::no_sslv2 |
                      asio::ssl::context::no_sslv3 | asio::ssl::context::no_tlsv1 | asio::ssl::context::no_tlsv1_1,
                  ec);
  if (!ec) ctx.set_verify_mode(asio::ssl::verify_peer, ec);
  if (!ec) {
    if (ca_file.empty()) {
      ctx.set_default_verify_paths(ec);
    } else {
      ctx.load_verify_file(ca_file, ec);
    }
  }
  if (ec) {
    throw NetError(NetError::Kind::tls,
                   (ca_file.empty() ? std::string{"cannot load the system's trust store"}
                                    : "cannot load CA file " + ca_file) +
                       ": " + ec.message());
  }
  return ctx;
}

}  // namespace net::detail
