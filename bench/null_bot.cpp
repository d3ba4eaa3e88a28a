// The harness' floor: a Slack bot that does no work. It acks every envelope the moment
// it is read and answers every user message at once with one chat.postMessage, through
// Coachbot's own Socket Mode and Web API code, with no database, no dialog and no
// outbox. Run by the peer harness in place of Coachbot (bench/run-floor.sh), it shows
// what the harness and the transport cost by themselves on this machine: no bot that
// stores and handles its events can beat these figures in the same run.
// Reads the harness' environment: SLACK_API_URL, SLACK_BOT_TOKEN, SLACK_APP_TOKEN.
#include <csignal>
#include <cstdlib>
#include <iostream>
#include <string>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <spdlog/spdlog.h>

#include "adapters/net/http_client.hpp"
#include "adapters/net/metrics.hpp"
#include "adapters/slack/socket_mode.hpp"
#include "adapters/slack/web_api.hpp"

namespace asio = boost::asio;
using adapters::slack::Ack;
using adapters::slack::Envelope;

namespace {

std::string env_or(const char* name, std::string fallback) {
  const char* v = std::getenv(name);
  return v && *v ? std::string{v} : fallback;
}

// A user's own text in a DM: what the check-in bot would answer.
bool user_text(const nlohmann::json& event) {
  return event.value("type", "") == "message" && !event.contains("bot_id") && !event.contains("subtype") &&
         event.contains("channel");
}

}  // namespace

int main() {
  spdlog::set_level(spdlog::level::warn);
  const std::string app_token = env_or("SLACK_APP_TOKEN", "");
  const std::string bot_token = env_or("SLACK_BOT_TOKEN", "");
  if (app_token.empty() || bot_token.empty()) {
    std::cerr << "null_bot: needs SLACK_APP_TOKEN and SLACK_BOT_TOKEN (the peer harness sets them)\n";
    return 2;
  }
  asio::io_context io{1};
  net::Metrics metrics;
  adapters::slack::declare_slack_metrics(metrics);
  net::HttpClient http{io.get_executor()};
  adapters::slack::WebApi api{http, env_or("SLACK_API_URL", "https://slack.com/api/"), bot_token, metrics};

  auto on_envelope = [&](Envelope envelope, Ack ack) {
    ack(std::nullopt);
    if (envelope.type != "events_api") return;
    const nlohmann::json& event = envelope.payload["event"];
    if (!user_text(event)) return;
    nlohmann::json args{{"channel", event["channel"]}, {"text", "Noted."}};
    asio::co_spawn(io, api.call("chat.postMessage", std::move(args)), asio::detached);
  };
  adapters::slack::SocketMode socket{io.get_executor(), api, app_token, {}, metrics, on_envelope};

  asio::signal_set signals{io, SIGINT, SIGTERM};
  signals.async_wait([&](const boost::system::error_code&, int) {
    socket.stop();
    http.close_idle();
  });
  int status = 0;
  asio::co_spawn(io, socket.run(), [&](std::exception_ptr e, std::string reason) {
    if (e || reason != "stopped") {
      std::cerr << "null_bot: Socket Mode ended: " << (e ? "an exception" : reason) << '\n';
      status = 1;
    }
    signals.cancel();
  });
  io.run();
  return status;
}
