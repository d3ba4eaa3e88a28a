#pragma once
// Slack's Web API over the shared HTTP client: `POST <api_url><method>` with the token
// in the Authorization header, JSON bodies for the methods that take them and form
// bodies for the rest (read methods and apps.connections.open refuse JSON), and one
// result shape for every outcome: ok, Slack's own error code, 429 with Retry-After,
// a 5xx, or a network failure. Callers decide what to retry; the outbox retries
// messages. Every call is counted in /metrics by method and result.
// A 429 holds back that method for its Retry-After (Slack's limits are per method and
// workspace): calls meanwhile get the same rate_limited answer without going out.
// chat.postMessage is limited per channel instead, so its 429s hold only that
// conversation, which the outbox does.
// Thread-safety: use from the io_context thread that runs the HTTP client.
#include <chrono>
#include <functional>
#include <map>
#include <string>

#include <boost/asio/awaitable.hpp>
#include <nlohmann/json.hpp>

#include "adapters/net/http_client.hpp"
#include "adapters/net/metrics.hpp"

namespace adapters::slack {

struct ApiResult {
  enum class Kind { ok, error, rate_limited, server_error, network };
  Kind kind = Kind::ok;
  std::string error;                         // Slack's error code, or what failed
  nlohmann::json body;                       // the parsed reply (object) when there was one
  std::chrono::milliseconds retry_after{0};  // rate_limited: Slack's Retry-After
  bool ok() const { return kind == Kind::ok; }
  // Worth trying again later: rate limits, server errors, network failures and the
  // error codes Slack documents as transient.
  bool transient() const;
  // Slack refused the token itself (revoked, expired, the app or workspace gone): every
  // call with it fails the same way until someone fixes the app, so no retry helps and
  // no single call is at fault. Not missing_scope: that depends on the method.
  bool token_refused() const;
};

// Declares the counters WebApi and SocketMode update (calls by method and result,
// envelopes, connections, reconnects), for whoever owns the Metrics they are given.
void declare_slack_metrics(net::Metrics& m);

// The methods that must be sent form-encoded (Slack reads their arguments only from
// the query or a form body).
bool form_encoded(std::string_view method);

class WebApi {
 public:
  // `api_url` ends in a slash ("https://slack.com/api/"); one is added if missing.
  using SteadyNow = std::function<std::chrono::steady_clock::time_point()>;
  WebApi(net::HttpClient& http, std::string api_url, std::string bot_token, net::Metrics& metrics,
         SteadyNow now = [] { return std::chrono::steady_clock::now(); });
  // With the bot token.
  boost::asio::awaitable<ApiResult> call(std::string method, nlohmann::json args);
  // With another token (the app-level token for apps.connections.open).
  boost::asio::awaitable<ApiResult> call_with(std::string method, nlohmann::json args, std::string token);

 private:
  net::HttpClient& http_;
  SteadyNow now_;
  std::map<std::string, std::chrono::steady_clock::time_point, std::less<>> held_until_;  // method -> end of its 429
  std::string api_url_;
  std::string bot_token_;
  net::Metrics& metrics_;
};

}  // namespace adapters::slack
