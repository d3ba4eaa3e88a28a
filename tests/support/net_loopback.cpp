#include "tests/support/net_loopback.hpp"

#include <catch2/catch.hpp>

#include <exception>
#include <stdexcept>
#include <utility>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>

namespace testing {

namespace asio = boost::asio;

void run(asio::awaitable<void> (*test)(asio::any_io_executor), std::chrono::seconds deadline) {
  asio::io_context ioc;
  bool finished = false;
  std::exception_ptr failure;
  asio::co_spawn(ioc, test(ioc.get_executor()), [&](std::exception_ptr e) {
    finished = true;
    failure = std::move(e);
  });
  const auto until = std::chrono::steady_clock::now() + deadline;
  while (!finished && ioc.run_one_until(until) > 0) {
  }
  REQUIRE(finished);
  if (failure) std::rethrow_exception(failure);
  ioc.run_for(std::chrono::seconds{5});
  CHECK(ioc.stopped());
}

asio::awaitable<void> Notifier::until(std::function<bool()> ready) {
  while (!ready()) {
    timer_.expires_at(asio::steady_timer::time_point::max());
    co_await timer_.async_wait(use_tuple);
  }
}

std::string base_url(const net::HttpServer& server) { return "http://127.0.0.1:" + std::to_string(server.port()); }

net::HttpResponse text(int status, std::string body) {
  net::HttpResponse res;
  res.status = status;
  res.headers = {{"Content-Type", "text/plain"}};
  res.body = std::move(body);
  return res;
}

asio::awaitable<net::HttpResponse> echo(net::ServerRequest req) {
  if (req.path() == "/big") co_return text(200, std::string(10000, 'x'));
  if (req.path() == "/boom") throw std::runtime_error("secret-token-in-message");
  net::HttpResponse res = text(200, req.body);
  res.headers.emplace_back("X-Method", req.method);
  res.headers.emplace_back("X-Target", req.target);
  res.headers.emplace_back("X-Path", std::string{req.path()});
  res.headers.emplace_back("X-Token", std::string{req.header("x-TOKEN").value_or("none")});
  res.headers.emplace_back("X-Remote", req.remote);
  co_return res;
}

net::HttpRequest get(std::string url) {
  net::HttpRequest req;
  req.method = "GET";
  req.url = std::move(url);
  return req;
}

asio::awaitable<net::HttpResponse> send(net::HttpClient& client, net::HttpRequest req) {
  auto op = client.send(std::move(req));
  co_return co_await std::move(op);
}

asio::awaitable<std::optional<net::NetError>> send_failure(net::HttpClient& client, net::HttpRequest req) {
  try {
    auto op = client.send(std::move(req));
    co_await std::move(op);
  } catch (const net::NetError& e) {
    co_return e;
  }
  co_return std::nullopt;
}

}  // namespace testing
