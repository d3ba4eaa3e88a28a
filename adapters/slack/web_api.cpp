#include "adapters/slack/web_api.hpp"

#include <algorithm>
#include <array>
#include <charconv>

#include <spdlog/spdlog.h>

#include "adapters/slack/api_answer.hpp"
#include "bot/json_fields.hpp"

namespace adapters::slack {

namespace {

std::string_view kind_label(ApiResult::Kind k) {
  switch (k) {
    case ApiResult::Kind::ok: return "ok";
    case ApiResult::Kind::error: return "error";
    case ApiResult::Kind::rate_limited: return "rate_limited";
    case ApiResult::Kind::server_error: return "server_error";
    case ApiResult::Kind::network: return "network_error";
  }
  return "unknown";
}

std::string form_value(const nlohmann::json& v) {
  if (v.is_string()) return v.get<std::string>();
  // Objects and arrays (blocks, view) go as JSON strings inside form bodies.
  return v.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace

bool ApiResult::transient() const {
  if (kind == Kind::rate_limited || kind == Kind::server_error || kind == Kind::network) return true;
  static constexpr std::array<std::string_view, 6> kTransient{"internal_error", "fatal_error", "service_unavailable",
                                                              "request_timeout", "ratelimited", "team_added_to_org"};
  for (auto e : kTransient)
    if (error == e) return true;
  return false;
}

bool ApiResult::token_refused() const {
  static constexpr std::array<std::string_view, 7> kRefused{"not_authed",    "invalid_auth",  "account_inactive",
                                                            "token_revoked", "token_expired", "team_disabled",
                                                            "user_removed_from_team"};
  return kind == Kind::error && std::find(kRefused.begin(), kRefused.end(), error) != kRefused.end();
}

bool form_encoded(std::string_view method) {
  static constexpr std::array<std::string_view, 7> kForm{"apps.connections.open", "auth.test", "users.info",
                                                         "users.lookupByEmail", "team.info", "conversations.info",
                                                         "conversations.history"};
  for (auto m : kForm)
    if (m == method) return true;
  return false;
}

void declare_slack_metrics(net::Metrics& m) {
  m.counter("coachbot_slack_api_calls_total", "Slack Web API calls, by method and result");
  m.counter("coachbot_slack_envelopes_total", "Socket Mode envelopes, by type");
  m.counter("coachbot_slack_connections_total", "Socket Mode connections opened");
  m.counter("coachbot_slack_reconnects_total", "Socket Mode connections lost and replaced");
}

WebApi::WebApi(net::HttpClient& http, std::string api_url, std::string bot_token, net::Metrics& metrics, SteadyNow now)
    : http_(http), now_(std::move(now)), api_url_(std::move(api_url)), bot_token_(std::move(bot_token)), metrics_(metrics) {
  if (!api_url_.ends_with('/')) api_url_ += '/';
}

boost::asio::awaitable<ApiResult> WebApi::call(std::string method, nlohmann::json args) {
  std::string token = bot_token_;
  ApiResult r = co_await call_with(std::move(method), std::move(args), std::move(token));
  co_return r;
}

boost::asio::awaitable<ApiResult> WebApi::call_with(std::string method, nlohmann::json args, std::string token) {
  const bool per_channel = method == "chat.postMessage";
  if (const auto held = held_until_.find(method); held != held_until_.end()) {
    const auto now = now_();
    if (held->second > now) {
      ApiResult waiting;
      waiting.kind = ApiResult::Kind::rate_limited;
      waiting.error = "ratelimited";
      waiting.retry_after = std::chrono::ceil<std::chrono::milliseconds>(held->second - now);
      co_return waiting;
    }
    held_until_.erase(held);
  }
  net::HttpRequest req;
  req.method = "POST";
  req.url = api_url_ + method;
  req.headers.emplace_back("Authorization", "Bearer " + token);
  // A trigger id expires 3 s after the click: these must not wait behind the outbox's
  // deliveries for a connection.
  req.urgent = method == "views.open" || method == "views.push";
  if (form_encoded(method)) {
    std::vector<std::pair<std::string, std::string>> fields;
    if (args.is_object())
      for (const auto& [k, v] : args.items()) fields.emplace_back(k, form_value(v));
    req.headers.emplace_back("Content-Type", "application/x-www-form-urlencoded");
    req.body = net::form_encode(fields);
  } else {
    req.headers.emplace_back("Content-Type", "application/json; charset=utf-8");
    req.body = args.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  }

  ApiResult result;
  try {
    const net::HttpResponse resp = co_await http_.send(std::move(req));
    if (resp.status == 429) {
      result.kind = ApiResult::Kind::rate_limited;
      result.error = "ratelimited";
      result.retry_after = net::retry_after(resp);
      if (!per_channel)
        held_until_[method] = now_() +
                              std::max<std::chrono::milliseconds>(result.retry_after, std::chrono::seconds{1});
    } else if (resp.status >= 500) {
      result.kind = ApiResult::Kind::server_error;
      result.error = "HTTP " + std::to_string(resp.status);
    } else {
      result.body = read_api_answer(method, resp.body);
      if (!result.body.is_object()) {
        result.kind = ApiResult::Kind::server_error;
        result.error = "HTTP " + std::to_string(resp.status) + " with a body that is not a JSON object";
      } else if (const auto* ok = bot::member(result.body, "ok"); ok && ok->is_boolean() && ok->get<bool>()) {
        result.kind = ApiResult::Kind::ok;
      } else {
        result.kind = ApiResult::Kind::error;
        result.error = bot::string_at(result.body, "error");
        if (result.error.empty()) result.error = "HTTP " + std::to_string(resp.status) + " without an error code";
      }
    }
  } catch (const net::NetError& e) {
    result.kind = ApiResult::Kind::network;
    result.error = e.what();
  }
  metrics_.add("coachbot_slack_api_calls_total", {{"method", method}, {"result", std::string{kind_label(result.kind)}}});
  if (result.kind == ApiResult::Kind::error) {
    // invalid_* errors explain themselves only in response_metadata.messages.
    std::string details;
    if (const auto m = result.body.find("response_metadata"); m != result.body.end() && m->is_object())
      if (const auto msgs = m->find("messages"); msgs != m->end() && msgs->is_array())
        for (const auto& line : *msgs)
          if (line.is_string()) details += " " + line.get<std::string>();
    spdlog::warn("slack: {} failed: {}{}", method, result.error, details);
  } else if (!result.ok()) {
    spdlog::warn("slack: {} failed: {}", method, result.error);
  }
  co_return result;
}

}  // namespace adapters::slack
