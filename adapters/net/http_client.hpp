#pragma once
// An HTTP/1.1 client for platform APIs: http:// and https:// (OpenSSL, certificate and
// host name verification, SNI), keep-alive connections pooled per host, a deadline on
// connect, TLS handshake, write and read, and a cap on response size. Concurrent
// send() calls use separate connections, up to max_connections_per_host; beyond that
// they wait for one to come free.
// Thread-safety: use from the io_context thread that runs its executor.
#include <chrono>
#include <cstddef>
#include <memory>
#include <string>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>

#include "adapters/net/http_types.hpp"

namespace net {

struct HttpClientOptions {
  std::chrono::milliseconds connect_timeout{5000};  // resolve + TCP + TLS handshake
  std::chrono::milliseconds request_timeout{10000};  // write + whole response
  std::size_t max_response_bytes = 16 * 1024 * 1024;
  std::size_t max_connections_per_host = 16;
  std::chrono::seconds idle_timeout{60};  // pooled connections idle longer are closed
  std::string ca_file;  // empty: the system's trust store
  std::string user_agent = "coachbot";
};

class HttpClient {
 public:
  HttpClient(boost::asio::any_io_executor executor, HttpClientOptions options = {});
  ~HttpClient();
  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;

  // Sends the request (Host, User-Agent and Content-Length are set here) and returns
  // the response, whatever its status. Throws NetError on failure or timeout. A
  // pooled connection the server closed meanwhile is retried once on a fresh one.
  boost::asio::awaitable<HttpResponse> send(HttpRequest request);
  // Closes every pooled connection (for shutdown).
  void close_idle();

 private:
  struct Impl;
  std::shared_ptr<Impl> impl_;
};

}  // namespace net
