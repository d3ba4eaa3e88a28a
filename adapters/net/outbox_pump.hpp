#pragma once
// Drains one platform's outbox with many deliveries in flight: takes what may go now
// from the OutboxSender (rate limits applied, a recipient's next message only after
// the one before is settled), runs each delivery as its own coroutine, records every
// delivery that completed in the same turn in one transaction, and sleeps until the
// next message is due or kick() says something new was queued. Shared by the Slack
// and Teams services; the platform's `deliver` does the talking.
// Thread-safety: use from the io_context thread that owns the Store.
#include <cstddef>
#include <functional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/steady_timer.hpp>

#include "bot/outbox_sender.hpp"

namespace net {

class OutboxPump {
 public:
  using Deliver = std::function<boost::asio::awaitable<bot::Delivery>(bot::OutboxItem)>;

  OutboxPump(boost::asio::any_io_executor executor, bot::OutboxSender& sender, const bot::Clock& clock,
             bot::Platform platform, bot::RateLimits limits, std::size_t max_in_flight, Deliver deliver,
             std::string name);
  // Something was queued (or the platform became usable): deliver what is due.
  void kick();
  void stop();
  // No delivery in flight or completed but unrecorded.
  bool idle() const { return in_flight_.empty() && completed_.empty(); }

 private:
  boost::asio::awaitable<void> pump();
  boost::asio::awaitable<void> deliver_one(bot::OutboxItem item);
  void settle_completed();

  boost::asio::any_io_executor executor_;
  bot::OutboxSender& sender_;
  const bot::Clock& clock_;
  bot::Platform platform_;
  bot::RateLimits limits_;
  std::size_t max_in_flight_;
  Deliver deliver_;
  std::string name_;
  std::set<bot::OutboxId> in_flight_;
  std::vector<std::pair<bot::OutboxItem, bot::Delivery>> completed_;
  bool settle_scheduled_ = false;
  bool running_ = false;
  bool stopping_ = false;
  boost::asio::steady_timer wake_;
};

}  // namespace net
