#pragma once
// A value handed from a callback to the one coroutine that awaits it: an HTTP handler
// waits for the transaction its event joined to commit. set() may come before or
// after wait() starts; wait() returns once, with the value.
// Thread-safety: use from one io_context thread; keep it in a shared_ptr that both
// sides hold, since the callback may outlive an abandoned wait.
#include <chrono>
#include <optional>
#include <utility>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace net {

template <class T>
class OneShot {
 public:
  explicit OneShot(boost::asio::any_io_executor executor)
      : timer_(executor, std::chrono::steady_clock::time_point::max()) {}
  void set(T value) {
    value_ = std::move(value);
    timer_.cancel();
  }
  boost::asio::awaitable<T> wait() {
    while (!value_) {
      boost::system::error_code ec;
      co_await timer_.async_wait(boost::asio::redirect_error(boost::asio::use_awaitable, ec));
    }
    co_return std::move(*value_);
  }

 private:
  boost::asio::steady_timer timer_;
  std::optional<T> value_;
};

}  // namespace net
