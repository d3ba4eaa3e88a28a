#include "adapters/net/outbox_pump.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <spdlog/spdlog.h>

#include "adapters/net/task_failure.hpp"

namespace net {

namespace asio = boost::asio;

OutboxPump::OutboxPump(asio::any_io_executor executor, bot::OutboxSender& sender, const bot::Clock& clock,
                       bot::Platform platform, bot::RateLimits limits, std::size_t max_in_flight, Deliver deliver,
                       std::string name)
    : executor_(executor),
      sender_(sender),
      clock_(clock),
      platform_(platform),
      limits_(limits),
      max_in_flight_(max_in_flight),
      deliver_(std::move(deliver)),
      name_(std::move(name)),
      wake_(executor) {}

void OutboxPump::kick() {
  if (stopping_) return;
  if (!running_) {
    running_ = true;
    asio::co_spawn(executor_, pump(), [this](std::exception_ptr e) {
      running_ = false;
      log_task_failure(name_ + " outbox delivery", e);
    });
    return;
  }
  wake_.cancel();
}

void OutboxPump::stop() {
  stopping_ = true;
  wake_.cancel();
}

asio::awaitable<void> OutboxPump::pump() {
  while (!stopping_) {
    std::vector<bot::OutboxItem> items;
    if (in_flight_.size() < max_in_flight_)
      items = sender_.take(platform_, limits_, in_flight_, max_in_flight_ - in_flight_.size());
    for (auto& item : items) {
      in_flight_.insert(item.id);
      asio::co_spawn(executor_, deliver_one(std::move(item)), failure_logger(name_ + " delivery"));
    }
    if (!items.empty()) continue;
    // While deliveries are in flight, each one settled wakes this loop and take() looks
    // again, retries that fell due included (one waits at most for the slowest delivery
    // in flight, which the HTTP timeouts bound): only the rate limits' refill needs a
    // timer. Asking the store for the next retry walks every pending message, so it
    // waits until nothing is in flight (at K = 1000 it was 8 % of the service's CPU).
    std::optional<bot::Instant> next;
    if (in_flight_.empty()) next = sender_.refresh_next_due(platform_);
    // From the take() just above; with every slot busy take() did not run, and what it
    // said last time may have passed: waking for it would spin until a settle.
    else if (in_flight_.size() < max_in_flight_) next = sender_.held();
    if (next) {
      const auto wait = std::max(std::chrono::duration_cast<std::chrono::milliseconds>(*next - clock_.now()),
                                 std::chrono::milliseconds{1});
      wake_.expires_after(wait);
    } else {
      wake_.expires_at(std::chrono::steady_clock::time_point::max());
    }
    boost::system::error_code ec;
    co_await wake_.async_wait(asio::redirect_error(asio::use_awaitable, ec));
  }
  running_ = false;
}

asio::awaitable<void> OutboxPump::deliver_one(bot::OutboxItem item) {
  bot::Delivery d;
  try {
    d = co_await deliver_(item);
  } catch (const std::exception& e) {
    d = bot::Delivery::retry_later(std::string{"delivery failed: "} + e.what());
  }
  completed_.emplace_back(std::move(item), std::move(d));
  if (settle_scheduled_) co_return;
  settle_scheduled_ = true;
  // Everything that completes in this turn is recorded in one transaction.
  asio::post(executor_, [this] { settle_completed(); });
}

void OutboxPump::settle_completed() {
  settle_scheduled_ = false;
  auto done = std::move(completed_);
  completed_.clear();
  try {
    sender_.settle(done);
  } catch (const std::exception& e) {
    spdlog::error("{}: recording {} deliveries failed: {}", name_, done.size(), e.what());
  }
  for (const auto& [item, d] : done) in_flight_.erase(item.id);
  if (running_) wake_.cancel();
}

}  // namespace net
