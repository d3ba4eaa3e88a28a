#include "adapters/teams/connector.hpp"

#include <algorithm>
#include <array>

#include <spdlog/spdlog.h>

#include "bot/json_fields.hpp"

namespace adapters::teams {

namespace asio = boost::asio;

namespace {

// teams.md §4.2 step 11: the hosts Teams' serviceUrls point at, per cloud.
constexpr std::array<std::string_view, 5> kTeamsHosts{
    "smba.trafficmanager.net", "smba.onyx.prod.teams.trafficmanager.net", "smba.infra.gcc.teams.microsoft.com",
    "smba.infra.gov.teams.microsoft.us", "smba.infra.dod.teams.microsoft.us"};

std::string without_trailing_slash(std::string url) {
  if (!url.empty() && url.back() == '/') url.pop_back();
  return url;
}

bool loopback(std::string_view host) {
  return host == "localhost" || host == "127.0.0.1" || host == "::1" || host == "[::1]";
}

}  // namespace

bool ConnectorResult::conversation_gone() const {
  if (status != 403) return false;
  return code == "BotNotInConversationRoster" || code == "ConversationBlockedByUser" ||
         code == "MessageWritesBlocked" || code == "BotDisabledByAdmin" || code == "ForbiddenOperationException";
}

std::string conversation_url(const std::string& service_url, const std::string& conversation,
                             const std::string& activity_id) {
  std::string url = without_trailing_slash(service_url) + "/v3/conversations/" + net::encode_segment(conversation) +
                    "/activities";
  if (!activity_id.empty()) url += "/" + net::encode_segment(activity_id);
  return url;
}

Connector::Connector(net::HttpClient& http, TokenClient* tokens, net::Metrics& metrics, ConnectorOptions options)
    : http_(http), tokens_(tokens), metrics_(metrics), options_(std::move(options)) {
  metrics_.counter("coachbot_teams_connector_calls_total", "Bot Connector calls, by operation and HTTP status");
}

bool Connector::allowed(const std::string& service_url) const {
  const auto ep = net::parse_endpoint(service_url);
  if (!ep) return false;
  if (options_.dev_mode) return loopback(ep->host);
  const bool extra = std::find(options_.extra_hosts.begin(), options_.extra_hosts.end(), ep->host) !=
                     options_.extra_hosts.end();
  // Plain http only to this machine (a local fake): our token must not cross a network
  // in clear.
  if (extra) return ep->scheme == "https" || (ep->scheme == "http" && loopback(ep->host));
  return ep->scheme == "https" && std::find(kTeamsHosts.begin(), kTeamsHosts.end(), ep->host) != kTeamsHosts.end();
}

asio::awaitable<ConnectorResult> Connector::send(std::string service_url, std::string conversation,
                                                 nlohmann::json activity) {
  std::string url = conversation_url(service_url, conversation);
  ConnectorResult r = co_await call("POST", std::move(service_url), std::move(url), std::move(activity), "send");
  co_return r;
}

asio::awaitable<ConnectorResult> Connector::reply(std::string service_url, std::string conversation,
                                                  std::string activity_id, nlohmann::json activity) {
  activity["replyToId"] = activity_id;
  std::string url = conversation_url(service_url, conversation, activity_id);
  ConnectorResult r = co_await call("POST", std::move(service_url), std::move(url), std::move(activity), "reply");
  co_return r;
}

asio::awaitable<ConnectorResult> Connector::update(std::string service_url, std::string conversation,
                                                   std::string activity_id, nlohmann::json activity) {
  activity["id"] = activity_id;
  std::string url = conversation_url(service_url, conversation, activity_id);
  ConnectorResult r = co_await call("PUT", std::move(service_url), std::move(url), std::move(activity), "update");
  co_return r;
}

asio::awaitable<ConnectorResult> Connector::remove(std::string service_url, std::string conversation,
                                                   std::string activity_id) {
  std::string url = conversation_url(service_url, conversation, activity_id);
  ConnectorResult r = co_await call("DELETE", std::move(service_url), std::move(url), nullptr, "delete");
  co_return r;
}

asio::awaitable<ConnectorResult> Connector::create_conversation(std::string service_url, nlohmann::json parameters) {
  std::string url = without_trailing_slash(service_url) + "/v3/conversations";
  ConnectorResult r =
      co_await call("POST", std::move(service_url), std::move(url), std::move(parameters), "create_conversation");
  co_return r;
}

asio::awaitable<ConnectorResult> Connector::call(std::string method, std::string service_url, std::string url,
                                                 nlohmann::json body, std::string operation) {
  ConnectorResult result;
  if (!allowed(service_url)) {
    // A serviceUrl we would not hand our token to: never retried, it will not change.
    result.error = "service URL host is not a Teams host: " + service_url;
    metrics_.add("coachbot_teams_connector_calls_total", {{"operation", operation}, {"status", "refused"}});
    co_return result;
  }
  // No body at all (DELETE) rather than the text "null".
  const std::string payload = body.is_null() ? std::string{} : body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  for (int attempt = 0; attempt < 2; ++attempt) {
    net::HttpRequest req;
    req.method = method;
    req.url = url;
    if (!payload.empty()) req.headers.emplace_back("Content-Type", "application/json; charset=utf-8");
    req.headers.emplace_back("Accept", "application/json");
    if (!options_.dev_mode && tokens_) {
      const TokenResult t = co_await tokens_->token();
      if (!t.token) {
        result.error = "no Bot Connector token: " + t.error;
        result.transient = t.transient;
        result.no_token = true;
        co_return result;
      }
      req.headers.emplace_back("Authorization", "Bearer " + *t.token);
    }
    req.body = payload;
    net::HttpResponse resp;
    try {
      resp = co_await http_.send(std::move(req));
    } catch (const net::NetError& e) {
      metrics_.add("coachbot_teams_connector_calls_total", {{"operation", operation}, {"status", "network_error"}});
      result.error = std::string{"Bot Connector "} + operation + ": " + e.what();
      result.transient = true;
      co_return result;
    }
    metrics_.add("coachbot_teams_connector_calls_total",
                 {{"operation", operation}, {"status", std::to_string(resp.status)}});
    result = ConnectorResult{};
    result.status = resp.status;
    result.body = nlohmann::json::parse(resp.body, nullptr, false);
    if (result.body.is_discarded()) result.body = nullptr;
    if (result.ok()) co_return result;
    // A refused token (expired early, or rotated): once more with a fresh one.
    if (resp.status == 401 && attempt == 0 && tokens_ && !options_.dev_mode) {
      tokens_->invalidate();
      continue;
    }
    if (result.body.is_object()) {
      if (const auto e = result.body.find("error"); e != result.body.end() && e->is_object())
        result.code = bot::string_at(*e, "code");
      // The "blocked" case nests its sub-code in a JSON string.
      if (result.code.empty() && result.body.contains("message") && result.body["message"].is_string()) {
        const auto inner = nlohmann::json::parse(result.body["message"].get<std::string>(), nullptr, false);
        result.code = bot::string_at(inner, "subCode");
      }
    }
    result.transient = resp.status == 429 || resp.status == 412 || resp.status == 502 || resp.status == 503 ||
                       resp.status == 504;
    if (resp.status == 429) result.retry_after = net::retry_after(resp);
    result.error = "Bot Connector " + operation + ": HTTP " + std::to_string(resp.status) +
                   (result.code.empty() ? "" : " " + result.code);
    if (const auto cv = resp.header("MS-CV")) result.error += " (MS-CV " + std::string{*cv} + ")";
    co_return result;
  }
  co_return result;
}

}  // namespace adapters::teams
