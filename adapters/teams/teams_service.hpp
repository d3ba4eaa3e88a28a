#pragma once
// Teams end to end: POST /api/messages (handle_http) authenticates the Bot Framework's
// token (or, in dev mode, accepts only unauthenticated activities from a loopback
// serviceUrl), turns the activity into an Event, runs it through the Engine together
// with whatever else arrived in the same turn (one transaction; each event its own
// savepoint), stores the conversation reference for later proactive messages, and only
// after the commit answers 200: a crash before it loses nothing, because the Bot
// Framework reports the failure and the user can send again, and a redelivery is
// recognised by its activity id. A submitted card is updated so it cannot be answered
// twice (or re-shown with the refused answers); an adaptiveCard/action invoke gets the
// new card in its HTTP answer. The outbox is drained through the Bot Connector within
// Teams' per-conversation limits.
// Thread-safety: everything runs on one io_context thread, the one that owns the Store.
#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/steady_timer.hpp>
#include <nlohmann/json.hpp>

#include "adapters/net/log_throttle.hpp"
#include "adapters/net/http_client.hpp"
#include "adapters/net/http_types.hpp"
#include "adapters/net/metrics.hpp"
#include "adapters/net/outbox_pump.hpp"
#include "adapters/teams/activity.hpp"
#include "adapters/teams/connector.hpp"
#include "adapters/teams/delivery.hpp"
#include "adapters/teams/jwt.hpp"
#include "adapters/teams/openid_keys.hpp"
#include "adapters/teams/token_client.hpp"
#include "bot/clock.hpp"
#include "bot/engine.hpp"
#include "bot/outbox_sender.hpp"

namespace adapters::teams {

struct TeamsOptions {
  // Dev mode (the Agents Playground): no app id, no tokens either way, loopback only.
  bool dev_mode = false;
  std::string app_id;
  std::string app_password;
  std::string tenant_id;  // single-tenant bots; empty: multi-tenant ("botframework.com")
  std::string openid_url = "https://login.botframework.com/v1/.well-known/openidconfiguration";
  std::string token_url = "https://login.microsoftonline.com/{tenant}/oauth2/v2.0/token";
  std::string default_service_url = "https://smba.trafficmanager.net/teams/";
  std::vector<std::string> extra_service_hosts;
  // Teams allows 7 messages a second per conversation, 60 in 30 s and 1800 an hour:
  // a burst of 7, then one every 2 s keeps under all of them. Across the tenant 50 a
  // second are allowed; 40 leaves room for retries.
  bot::RateLimits limits{std::chrono::milliseconds{2000}, 7, std::chrono::milliseconds{25}, 40};
  std::size_t max_in_flight = 64;
};

class TeamsService {
 public:
  TeamsService(boost::asio::any_io_executor executor, bot::Store& store, bot::Engine& engine,
               bot::OutboxSender& sender, const bot::Clock& clock, net::HttpClient& http, net::Metrics& metrics,
               TeamsOptions options);
  ~TeamsService();
  // Fetches the signing keys and keeps them fresh (dev mode: nothing to fetch); starts
  // delivering what was queued before a restart. Returns after stop().
  boost::asio::awaitable<void> run();
  void stop();
  // Able to check tokens (the keys were fetched once), or dev mode.
  bool ready() const;
  void kick() { pump_.kick(); }
  bool idle() const { return batch_.empty() && pump_.idle(); }
  boost::asio::awaitable<net::HttpResponse> handle_http(net::ServerRequest request);

 private:
  struct Pending;
  struct Outcome;
  // Which check refused the request, or ok.
  boost::asio::awaitable<std::string> authenticate(const net::ServerRequest& request, const nlohmann::json& activity);
  // 401 for a request whose token failed `why`: counted, and logged a line per 10 s.
  net::HttpResponse refused(const std::string& remote, const std::string& why, std::string body);
  void receive(Inbound inbound, std::function<void(bool committed, std::optional<nlohmann::json>)> done);
  void schedule_batch();
  void process_batch();
  void handle_one(const Inbound& in, Outcome& o);
  void remember_conversation(const Inbound& in, std::optional<bot::PersonId> person);
  void answer_card(const Inbound& in, Outcome& o);
  void point_to_chat(const Inbound& in, const Outcome& o);
  void record_membership(const Inbound& in);

  boost::asio::any_io_executor executor_;
  bot::Store& store_;
  bot::Engine& engine_;
  const bot::Clock& clock_;
  net::Metrics& metrics_;
  net::LogThrottle refusals_{std::chrono::seconds{10}};  // refused requests: a line per 10 s
  TeamsOptions options_;
  TokenRules rules_;
  std::unique_ptr<TokenClient> tokens_;
  std::unique_ptr<OpenIdKeys> keys_;
  Connector connector_;
  Delivery delivery_;
  net::OutboxPump pump_;
  std::vector<std::unique_ptr<Pending>> batch_;
  bool batch_scheduled_ = false;
  bool stopping_ = false;
  boost::asio::steady_timer idle_wait_;
};

}  // namespace adapters::teams
