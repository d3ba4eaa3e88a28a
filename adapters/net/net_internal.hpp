#pragma once
// Pieces that http_client.cpp, websocket.cpp and http_server.cpp share. Asio only (no
// Beast), so that the public headers' promise holds for this one too; not for use
// outside adapters/net.
#include <chrono>
#include <cstdint>
#include <memory>
#include <string>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/system/error_code.hpp>

#include "adapters/net/http_types.hpp"
#include "adapters/net/websocket.hpp"

namespace net::detail {

// The completion token of every coroutine here: errors come back as values, so each can
// become a NetError that names its endpoint, and timeouts can be told apart.
inline constexpr auto use_tuple = boost::asio::as_tuple(boost::asio::use_awaitable);

// Whether ec is one of Beast's HTTP parser errors (a malformed message).
bool is_http_error(const boost::system::error_code& ec);

// "host:port", for messages: never anything from a path, a query or a header.
std::string where(const Endpoint& endpoint);

// Asio's resolver has no deadline of its own. Throws NetError (connect, timeout).
boost::asio::awaitable<boost::asio::ip::tcp::resolver::results_type> resolve(
    boost::asio::any_io_executor executor, Endpoint endpoint, std::chrono::steady_clock::time_point deadline);

// A client context that verifies peers against ca_file, or the system's trust store
// when it is empty. Throws NetError (tls) when the file cannot be loaded.
boost::asio::ssl::context make_client_tls_context(const std::string& ca_file);

// The server side of a WebSocket: HttpServer has read the upgrade request (it arrives
// here rebuilt from `request`) and hands over the socket. Throws NetError.
boost::asio::awaitable<std::shared_ptr<WebSocket::Impl>> accept_websocket(boost::asio::ip::tcp::socket socket,
                                                                          ServerRequest request,
                                                                          WebSocketOptions options);
// For HttpServer::stop(), which holds server-side WebSockets only weakly.
void abort_websocket(WebSocket::Impl& impl);

}  // namespace net::detail
