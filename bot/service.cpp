// `coachbot run`: the service. With Slack credentials it serves Slack (Socket Mode or
// the Events API), with a Microsoft app id (or in Teams dev mode) it serves Teams on
// POST /api/messages, next to /healthz, /readyz and /metrics on the HTTP port; it fires
// the scheduler's timers and delivers the outbox, all on one io_context thread that
// owns the database. With no platform configured it opens the local chat instead.
#include <algorithm>
#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <iostream>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <spdlog/spdlog.h>

#include "adapters/net/http_client.hpp"
#include "adapters/net/http_server.hpp"
#include "adapters/net/metrics.hpp"
#include "adapters/net/task_failure.hpp"
#include "adapters/slack/slack_service.hpp"
#include "adapters/teams/teams_service.hpp"
#include "bot/app.hpp"
#include "bot/app_settings.hpp"
#include "bot/text.hpp"
#include "dialogs/coach_conversation.hpp"
#include "storage/sqlite_store.hpp"

namespace bot {

namespace {

namespace asio = boost::asio;

void declare_metrics(net::Metrics& m, Store& store) {
  m.gauge("coachbot_outbox_pending", "Messages waiting in the outbox",
          [&store] { return static_cast<double>(store.outbox().count(OutboxStatus::pending)); });
  m.gauge("coachbot_outbox_dead", "Messages given up on (coachbot outbox --failed)",
          [&store] { return static_cast<double>(store.outbox().count(OutboxStatus::dead)); });
}


// Event ids are kept for dedupe long after any platform would redeliver (Slack and the
// Bot Framework retry within hours; a timer occurrence is moved on within seconds of
// firing), then forgotten so that the table does not grow for ever.
constexpr std::chrono::days kKeepEventIds{30};

void forget_old_event_ids(Store& store, const Clock& clock, Instant& last) {
  const Instant now = clock.now();
  if (now - last < std::chrono::hours{1}) return;
  last = now;
  try {
    auto tx = store.begin();
    const std::size_t n = store.processed_events().forget_before(now - kKeepEventIds);
    tx->commit();
    if (n > 0) spdlog::info("storage: forgot {} event ids older than {} days", n, kKeepEventIds.count());
  } catch (const std::exception& e) {
    spdlog::error("storage: forgetting old event ids failed: {}", e.what());
  }
}

asio::awaitable<void> run_timers(Scheduler& scheduler, Store& store, const std::function<void()>& kick,
                                 const Clock& clock, const bool& stopping, asio::steady_timer& timer) {
  // The first clean-up waits an hour: a full scan of the table with an fsync has no
  // place between start and the first connection.
  Instant forgot_at = clock.now();
  while (!stopping) {
    try {
      scheduler.run_due();
    } catch (const std::exception& e) {
      spdlog::error("scheduler: firing timers failed: {}", e.what());
    }
    forget_old_event_ids(store, clock, forgot_at);
    // Also what another process queued: `coachbot outbox --retry` while we sleep.
    kick();
    // Wake at the next timer, and at least every minute (a config or clock change).
    auto wait = std::chrono::milliseconds{60000};
    if (const auto next = scheduler.next_run())
      wait = std::clamp(std::chrono::duration_cast<std::chrono::milliseconds>(*next - clock.now()),
                        std::chrono::milliseconds{10}, wait);
    timer.expires_after(wait);
    boost::system::error_code ec;
    co_await timer.async_wait(asio::redirect_error(asio::use_awaitable, ec));
  }
}

adapters::slack::SlackOptions slack_options(const Config& config) {
  adapters::slack::SlackOptions options;
  options.api_url = config.slack.api_url;
  options.bot_token = *config.secrets.slack_bot_token;
  options.app_token = config.secrets.slack_app_token.value_or("");
  options.signing_secret = config.secrets.slack_signing_secret.value_or("");
  options.socket_mode = config.slack.socket_mode;
  options.socket.connections = static_cast<std::size_t>(config.slack.connections);
  options.socket.ca_file = config.http.ca_file;
  return options;
}

adapters::teams::TeamsOptions teams_options(const Config& config) {
  adapters::teams::TeamsOptions options;
  options.dev_mode = config.teams.dev_mode;
  options.app_id = config.secrets.microsoft_app_id.value_or("");
  options.app_password = config.secrets.microsoft_app_password.value_or("");
  options.tenant_id = config.secrets.microsoft_app_tenant_id.value_or("");
  options.openid_url = config.teams.openid_url;
  options.token_url = config.teams.token_url;
  options.default_service_url = config.teams.default_service_url;
  options.extra_service_hosts = config.teams.extra_service_hosts;
  return options;
}

int serve(const Config& config, bool with_slack, bool with_teams, std::ostream& err) {
  if (with_slack && config.slack.socket_mode && !config.secrets.slack_app_token) {
    err << "coachbot: Slack Socket Mode needs SLACK_APP_TOKEN (xapp-…); or set slack.socket_mode to false and "
           "SLACK_SIGNING_SECRET for the Events API\n";
    return 2;
  }
  if (with_slack && !config.slack.socket_mode && !config.secrets.slack_signing_secret) {
    err << "coachbot: the Slack Events API needs SLACK_SIGNING_SECRET\n";
    return 2;
  }
  // A config file is checked for this when it is read; without one, only here.
  if (with_teams && !config.teams.dev_mode && !config.secrets.microsoft_app_password) {
    err << "coachbot: Teams needs MICROSOFT_APP_PASSWORD (the client secret) with MICROSOFT_APP_ID\n";
    return 2;
  }
  const std::string db_path = std::filesystem::absolute(config.database_path).string();
  storage::SqliteStore store{storage::OpenOptions{db_path, config.synchronous}};
  SystemClock clock;
  dialogs::CoachConversation conversation;
  Engine engine{store, conversation, clock, engine_settings(config)};
  OutboxSender sender{store, clock, config.outbox_max_attempts};
  Scheduler scheduler{store, engine, clock, scheduler_settings(config)};

  asio::io_context io{1};
  net::Metrics metrics;
  declare_metrics(metrics, store);
  net::HttpClientOptions client_options;
  client_options.ca_file = config.http.ca_file;
  // Each outbox delivery in flight holds a connection for its round trip: with fewer
  // connections than deliveries at once, the rest queue for one, and Slack's users.info
  // for newcomers queues behind them.
  client_options.max_connections_per_host =
      std::max({client_options.max_connections_per_host, adapters::slack::SlackOptions{}.max_in_flight,
                adapters::teams::TeamsOptions{}.max_in_flight});
  net::HttpClient http{io.get_executor(), client_options};
  std::unique_ptr<adapters::slack::SlackService> slack;
  if (with_slack)
    slack = std::make_unique<adapters::slack::SlackService>(io.get_executor(), store, engine, sender, clock, http,
                                                            metrics, slack_options(config));
  std::unique_ptr<adapters::teams::TeamsService> teams;
  if (with_teams) {
    if (config.teams.dev_mode)
      spdlog::warn("teams: DEV MODE: /api/messages accepts activities without a token, from a loopback serviceUrl "
                   "only (the Agents Playground). Never use this with real Teams.");
    teams = std::make_unique<adapters::teams::TeamsService>(io.get_executor(), store, engine, sender, clock, http,
                                                            metrics, teams_options(config));
  }

  net::HttpServerOptions server_options;
  server_options.address = config.http.address;
  server_options.port = static_cast<std::uint16_t>(config.http.port);
  server_options.max_body_bytes = static_cast<std::size_t>(config.http.max_body_kib) * 1024;
  server_options.max_connections = static_cast<std::size_t>(config.http.max_connections);
  // Sixteen of the largest bodies at once; Slack's and Teams' are a few KiB.
  server_options.body_budget_bytes = 16 * server_options.max_body_bytes;
  auto routes = [&](net::ServerRequest req) -> asio::awaitable<net::HttpResponse> {
    const std::string path{req.path()};
    if ((path == "/healthz" || path == "/readyz" || path == "/metrics") && req.method != "GET" && req.method != "HEAD")
      co_return net::method_not_allowed("GET, HEAD");
    if (path == "/healthz") co_return net::respond(200, "ok\n");
    if (path == "/readyz") {
      if (slack && !slack->ready()) co_return net::respond(503, "not ready: Slack is not connected yet\n");
      if (teams && !teams->ready()) co_return net::respond(503, "not ready: the Teams signing keys are not loaded yet\n");
      co_return net::respond(200, "ready\n");
    }
    if (path == "/metrics") co_return net::respond(200, metrics.render(), "text/plain; version=0.0.4");
    if (slack && (path == "/slack/events" || path == "/slack/interactivity" || path == "/slack/commands")) {
      if (req.method != "POST") co_return net::method_not_allowed("POST");
      net::HttpResponse r = co_await slack->handle_http(std::move(req));
      co_return r;
    }
    if (teams && path == "/api/messages") {
      net::HttpResponse r = co_await teams->handle_http(std::move(req));
      co_return r;
    }
    co_return net::respond(404, "not found\n");
  };
  std::unique_ptr<net::HttpServer> server;
  try {
    server = std::make_unique<net::HttpServer>(io.get_executor(), server_options, routes);
  } catch (const net::NetError& e) {
    err << "coachbot: cannot listen on " << config.http.address << ':' << config.http.port << ": " << e.what()
        << " (set http.port in the config)\n";
    return 2;
  }
  server->start();
  spdlog::info("http: /healthz, /readyz, /metrics{}{} on {}:{}",
               slack && !config.slack.socket_mode ? ", /slack/events, /slack/interactivity, /slack/commands" : "", teams ? ", /api/messages" : "",
               config.http.address, server->port());

  bool stopping = false;
  int exit_code = 0;
  asio::steady_timer timer_wait{io};
  asio::signal_set signals{io, SIGINT, SIGTERM};
  auto stop = [&] {
    if (stopping) return;
    stopping = true;
    if (slack) slack->stop();
    if (teams) teams->stop();
    server->stop();
    timer_wait.cancel();
    signals.cancel();
    http.close_idle();
  };
  signals.async_wait([&](boost::system::error_code ec, int sig) {
    if (ec) return;
    spdlog::info("coachbot: signal {} received; stopping", sig);
    stop();
  });
  if (slack) {
    asio::co_spawn(io, slack->run(), [&](std::exception_ptr e, std::string why) {
      if (e) {
        try {
          std::rethrow_exception(e);
        } catch (const std::exception& x) {
          why = x.what();
        }
      }
      if (!stopping) {
        spdlog::error("slack: stopped: {}", why);
        exit_code = 1;
      }
      stop();
    });
  }
  if (teams) {
    asio::co_spawn(io, teams->run(), [&](std::exception_ptr e) {
      if (!e || stopping) return;
      net::log_task_failure("teams", e);
      exit_code = 1;
      stop();
    });
  }
  const std::function<void()> kick = [&] {
    if (slack) slack->kick();
    if (teams) teams->kick();
  };
  asio::co_spawn(io, run_timers(scheduler, store, kick, clock, stopping, timer_wait), [](std::exception_ptr) {});
  while (!stopping) io.run_one();
  // Deliveries in flight get a moment to finish (and be recorded); then whatever
  // still runs is cut, and the outbox sends it after the next start.
  const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds{2};
  auto idle = [&] { return (!slack || slack->idle()) && (!teams || teams->idle()); };
  while (!idle() && std::chrono::steady_clock::now() < give_up) io.run_one_for(std::chrono::milliseconds{20});
  io.stop();
  spdlog::info("coachbot: stopped");
  return exit_code;
}

}  // namespace

int run_service(const Config& config, std::istream& in, std::ostream& out, std::ostream& err) {
  const bool slack = config.slack.enabled && config.secrets.slack_bot_token;
  const bool teams = config.teams.enabled && (config.secrets.microsoft_app_id || config.teams.dev_mode);
  spdlog::info("slack: {}", slack ? (config.slack.socket_mode ? "on (Socket Mode)" : "on (Events API)")
                                  : "off (no SLACK_BOT_TOKEN, or slack.enabled is false)");
  spdlog::info("teams: {}", teams ? (config.teams.dev_mode ? "on (dev mode, unauthenticated)" : "on (/api/messages)")
                                  : "off (no MICROSOFT_APP_ID and no teams.dev_mode, or teams.enabled is false)");
  if (slack || teams) {
    try {
      return serve(config, slack, teams, err);
    } catch (const std::exception& e) {
      err << "coachbot: " << e.what() << '\n';
      return 2;
    }
  }
  // With no platform to serve, the useful thing to run is the local chat.
  const char* user = std::getenv("USER");
  std::string as = user && *user ? user : "me";
  if (normalise_handle(as).empty()) as = "me";
  return run_chat(config, ChatRequest{as}, in, out, err);
}

}  // namespace bot
