#pragma once
// Slack end to end: receives events over Socket Mode (default) or the Events API
// (handle_http: signed requests only), turns them into Events, runs them through the
// Engine in batches (one SQLite transaction and one fsync for all events that arrived
// together, each event its own savepoint), and only then acknowledges each one: a
// crash before the commit loses nothing, because Slack redelivers what was not acked.
// After the commit it opens modals for clicks that asked for a form (trigger ids live
// 3 s) and drains the outbox with many messages in flight, one at a time per
// recipient, within Slack's per-channel rate. New people get their name and time zone
// from users.info before their first event is handled, unless it takes longer than
// `profile_wait`: then the defaults do, and the late answer names them with their next
// event.
// Thread-safety: everything runs on one io_context thread, the one that owns the Store.
#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <unordered_set>
#include <utility>
#include <vector>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/steady_timer.hpp>
#include <nlohmann/json.hpp>

#include "adapters/net/log_throttle.hpp"
#include "adapters/net/http_client.hpp"
#include "adapters/net/metrics.hpp"
#include "adapters/net/outbox_pump.hpp"
#include "adapters/slack/delivery.hpp"
#include "adapters/slack/inbound.hpp"
#include "adapters/slack/socket_mode.hpp"
#include "adapters/slack/web_api.hpp"
#include "bot/clock.hpp"
#include "bot/engine.hpp"
#include "bot/outbox_sender.hpp"

namespace adapters::slack {

struct SlackOptions {
  std::string api_url = "https://slack.com/api/";
  std::string bot_token;
  std::string app_token;       // Socket Mode
  std::string signing_secret;  // Events API
  bool socket_mode = true;
  // About one message per second per channel, with short bursts (a person answering
  // quickly gets every reply at once).
  bot::RateLimits limits{std::chrono::milliseconds{1000}, 5, std::chrono::milliseconds{0}, 20};
  std::size_t max_in_flight = 64;  // outbox deliveries at once
  // How long a newcomer's first event waits for users.info: Slack wants the ack within
  // 3 s, and a modal's trigger id lives as long.
  std::chrono::milliseconds profile_wait{1500};
  SocketModeOptions socket;
  // When a method's Retry-After ends is measured on this clock (tests move it on).
  std::function<std::chrono::steady_clock::time_point()> steady_now = [] { return std::chrono::steady_clock::now(); };
};

class SlackService {
 public:
  SlackService(boost::asio::any_io_executor executor, bot::Store& store, bot::Engine& engine, bot::OutboxSender& sender,
               const bot::Clock& clock, net::HttpClient& http, net::Metrics& metrics, SlackOptions options);
  ~SlackService();
  // auth.test (retried with backoff until it works or the token is refused) and, with
  // Socket Mode, the socket, connecting meanwhile. Returns when stopped, or with the
  // reason Slack cannot be used.
  boost::asio::awaitable<std::string> run();
  void stop();
  // Ready to take events: the bot token works, and with Socket Mode a socket said hello.
  bool ready() const;
  // Something was queued outside an event (a timer fired): deliver it.
  void kick();
  // Nothing received but not yet committed, and no delivery in flight or unrecorded.
  bool idle() const { return batch_.empty() && looking_up_.empty() && pump_.idle(); }
  // users.info calls still out, counting those whose events went on without them.
  std::size_t profile_calls() const { return profile_calls_; }
  // The Events API: event callbacks, interactivity and slash commands, on any path the
  // caller routes here. Checks the signature over the raw body first.
  boost::asio::awaitable<net::HttpResponse> handle_http(net::ServerRequest request);

 private:
  struct Pending;
  struct Lookup;  // a users.info call and the events waiting for it
  void receive(Inbound inbound, std::function<void(bool committed, std::optional<nlohmann::json>)> done);
  boost::asio::awaitable<void> look_up(bot::Identity who, std::weak_ptr<Lookup> lookup);
  // Hands the events waiting for `lookup` to the next batch, with what users.info gave.
  void release(const bot::Identity& who, const Lookup* lookup, const std::string& name,
               const std::optional<std::string>& zone, bool ask_again);
  void schedule_batch();
  void process_batch();
  void open_modals(const Pending& p, const bot::HandleResult& r);
  // The clicked message is rewritten by the dialog's own reply (its update key), so
  // no "✓ choice" edit of it is queued.
  bool rewritten(const Inbound& in, const bot::HandleResult& r);
  void on_envelope(Envelope envelope, Ack ack);
  boost::asio::awaitable<std::string> authenticate();  // empty once signed in, else why not
  void signed_in();

  boost::asio::any_io_executor executor_;
  bot::Store& store_;
  bot::Engine& engine_;
  const bot::Clock& clock_;
  net::Metrics& metrics_;
  net::LogThrottle refusals_{std::chrono::seconds{10}};  // refused requests: a line per 10 s
  SlackOptions options_;
  WebApi api_;
  Delivery delivery_;
  std::unique_ptr<SocketMode> socket_;
  ParseContext context_;
  bool authed_ = false;
  bool stopping_ = false;
  std::string refused_;  // why auth.test refused the token
  std::vector<std::pair<Envelope, Ack>> early_;  // arrived before auth.test answered: not acked yet

  std::vector<std::unique_ptr<Pending>> batch_;
  bool batch_scheduled_ = false;
  bool batch_held_ = false;  // waiting for the socket's burst to be read (SocketMode::on_drained)
  std::unordered_set<std::string> known_;                       // identities with a person
  std::unordered_set<std::string> unprofiled_;  // users.info failed for a passing reason: ask with their next event
  static constexpr std::size_t kMaxUnprofiled = 10000;
  std::map<bot::Identity, std::shared_ptr<Lookup>> looking_up_;  // waiting for users.info
  struct Profile {
    std::string name;
    std::optional<std::string> zone;
  };
  // users.info answers that came after their events went on: for the person's next event.
  std::map<std::string, Profile> late_profiles_;
  std::size_t profile_calls_ = 0;
  net::OutboxPump pump_;
};

}  // namespace adapters::slack
