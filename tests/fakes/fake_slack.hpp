#pragma once
// A fake of Slack for integration tests, on 127.0.0.1 with an ephemeral port: the Web
// API (POST /api/<method>, Bearer tokens checked, form or JSON bodies) and Socket Mode
// (apps.connections.open hands out a single-use ws:// URL; the socket says hello, carries
// envelopes the test injects and records the acks). It records every call so tests can
// assert on what a person would see, and can answer 429 with Retry-After on demand.
// Runs on the io_context the test drives; not thread-safe.
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/steady_timer.hpp>
#include <nlohmann/json.hpp>

#include "adapters/net/http_server.hpp"

namespace testing {

struct SlackCall {
  std::string method;
  nlohmann::json args;  // the JSON body, or the form fields as an object
  std::string token;
  bool rate_limited = false;  // answered 429: Slack did nothing with it
  bool failed = false;        // answered 500 and did nothing
};

class FakeSlack {
 public:
  static constexpr const char* kBotToken = "xoxb-test-bot-token";
  static constexpr const char* kAppToken = "xapp-test-app-token";

  explicit FakeSlack(boost::asio::any_io_executor executor);
  ~FakeSlack();
  std::string api_url() const;  // "http://127.0.0.1:PORT/api/"

  // Web API.
  const std::vector<SlackCall>& calls() const { return calls_; }
  std::vector<SlackCall> calls(const std::string& method) const;
  // The next `times` calls of `method` get HTTP 429 with this Retry-After (seconds).
  void rate_limit(const std::string& method, int times, int retry_after_s = 1);
  std::map<std::string, std::string> user_time_zones;  // users.info answers; default Europe/Berlin
  // Calls of `method` are left unanswered until release(method).
  void hold(const std::string& method);
  void release(const std::string& method);
  // How many calls of `method` are waiting for release().
  int waiting(const std::string& method) const;
  // The next `times` calls of `method` get HTTP 500: with `done`, after doing what was
  // asked (a message is posted all the same, as a Slack that fails on its way out);
  // without, doing nothing.
  void fail(const std::string& method, int times, bool done);
  // What people see in a conversation ("D1" for U1's DM), oldest first: each message's
  // ts, text and metadata, as conversations.history answers them.
  std::vector<nlohmann::json> history(const std::string& channel) const;
  // A message already in a conversation (posted by an earlier run of the bot): text and
  // metadata as given, a ts of now. Returns the ts.
  std::string seed(const std::string& channel, const std::string& text, const nlohmann::json& metadata);
  // The bot token stops working (invalid_auth), as when an admin revokes it.
  void revoke_bot_token() { bot_token_revoked_ = true; }

  // Socket Mode.
  int connections_opened() const { return connections_opened_; }
  int open_sockets() const;
  // Sends an envelope on the newest open socket; returns its envelope id.
  std::string send_envelope(const std::string& type, nlohmann::json payload, int retry_attempt = 0,
                            std::optional<std::string> envelope_id = std::nullopt);
  // The same on the n-th open socket, oldest first, as Slack spreads envelopes over an
  // app's sockets.
  std::string send_envelope_on(std::size_t n, const std::string& type, nlohmann::json payload);
  void send_raw(const std::string& text);  // on the newest open socket
  // The n-th open socket, oldest first, is cut without a close frame (a network failure).
  void drop_socket(std::size_t n);
  // Acks that came on the n-th open socket, oldest first.
  int acks_on(std::size_t n) const;
  // Asks the client to reconnect (refresh_requested, warning, link_disabled, ...).
  void disconnect(const std::string& reason);
  // envelope id -> the ack's payload (null when none); in the order they came.
  const std::vector<std::pair<std::string, nlohmann::json>>& acks() const { return acks_; }
  bool acked(const std::string& envelope_id) const;

  // Payload helpers shaped like real Slack deliveries.
  static nlohmann::json dm(const std::string& user, const std::string& text, const std::string& event_id);
  static nlohmann::json click(const std::string& user, const std::string& channel, const std::string& message_ts,
                              const std::string& action_id, const std::string& value, const std::string& trigger_id);
  static nlohmann::json home_click(const std::string& user, const std::string& action_id, const std::string& value,
                                   const std::string& trigger_id);
  static nlohmann::json submit(const std::string& user, const nlohmann::json& view, const nlohmann::json& values);
  static nlohmann::json home_opened(const std::string& user, const std::string& event_id);

 struct Socket;  // one accepted Socket Mode connection

 private:
  std::shared_ptr<Socket> open_socket(std::size_t n) const;  // the n-th open one, oldest first
  void write_on(std::shared_ptr<Socket> s, std::string text);  // nothing when s is null
  boost::asio::awaitable<net::HttpResponse> api(net::ServerRequest request);
  net::HttpResponse answer(const SlackCall& call);  // what Slack does and says for a call
  boost::asio::awaitable<void> socket(std::unique_ptr<net::WebSocket> ws, net::ServerRequest request);

  boost::asio::any_io_executor executor_;
  std::unique_ptr<net::HttpServer> server_;
  std::vector<SlackCall> calls_;
  std::map<std::string, std::pair<int, int>> limits_;  // method -> (times left, retry after)
  std::map<std::string, std::pair<int, bool>> failures_;  // method -> (times left, done first)
  std::map<std::string, std::vector<nlohmann::json>> history_;  // channel -> messages, oldest first
  std::map<std::string, std::shared_ptr<boost::asio::steady_timer>> holds_;
  std::map<std::string, int> waiting_;
  bool bot_token_revoked_ = false;
  std::vector<std::shared_ptr<Socket>> sockets_;
  std::map<std::string, bool> tickets_;  // ticket -> used
  std::vector<std::pair<std::string, nlohmann::json>> acks_;
  int connections_opened_ = 0;
  int next_ts_ = 1;
  int next_envelope_ = 1;
};

}  // namespace testing
