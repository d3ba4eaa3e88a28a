#include "adapters/teams/token_client.hpp"

#include <algorithm>

#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

namespace adapters::teams {

namespace asio = boost::asio;

TokenClient::TokenClient(asio::any_io_executor executor, net::HttpClient& http, net::Metrics& metrics,
                         TokenOptions options)
    : executor_(std::move(executor)), http_(http), metrics_(metrics), options_(std::move(options)) {
  metrics_.counter("coachbot_teams_token_requests_total", "Entra token requests for the Bot Connector, by result");
}

std::string TokenClient::endpoint(const std::string& url_template, const std::string& tenant) {
  std::string url = url_template;
  if (const auto at = url.find("{tenant}"); at != std::string::npos)
    url.replace(at, 8, tenant.empty() ? "botframework.com" : tenant);
  return url;
}

asio::awaitable<TokenResult> TokenClient::token() {
  if (cached_ && now() < cached_->refresh_at) co_return TokenResult{cached_->token, {}, false};
  if (fetching_) {
    // Someone is already asking Entra: wait for their answer instead of asking twice.
    auto wake = std::make_shared<asio::steady_timer>(executor_, std::chrono::steady_clock::time_point::max());
    waiters_.push_back(wake);
    boost::system::error_code ec;
    co_await wake->async_wait(asio::redirect_error(asio::use_awaitable, ec));
    // What the request gave its caller: a new token, the one in hand, or the failure.
    co_return last_.value_or(TokenResult{std::nullopt, "token request failed", true});
  }
  fetching_ = true;
  TokenResult r;
  try {
    r = co_await fetch();
  } catch (const std::exception& e) {
    r = TokenResult{std::nullopt, e.what(), true};
  }
  fetching_ = false;
  // Not in its last minute, so that it does not expire on its way to Teams.
  if (const auto t = now(); !r.token && cached_ && t < cached_->expires_at - std::chrono::minutes{1}) {
    // The token in hand still works for a while: use it, and try the endpoint again in
    // half a minute rather than with every message.
    cached_->refresh_at = std::min(t + std::chrono::seconds{30}, cached_->expires_at - std::chrono::minutes{1});
    r = TokenResult{cached_->token, {}, false};
  }
  last_ = r;
  for (auto& w : std::exchange(waiters_, {})) w->cancel();
  co_return r;
}

asio::awaitable<TokenResult> TokenClient::fetch() {
  net::HttpRequest req;
  req.method = "POST";
  req.url = options_.url;
  req.headers.emplace_back("Content-Type", "application/x-www-form-urlencoded");
  req.headers.emplace_back("Accept", "application/json");
  req.body = net::form_encode({{"grant_type", "client_credentials"},
                               {"client_id", options_.app_id},
                               {"client_secret", options_.app_password},
                               {"scope", options_.scope}});
  net::HttpResponse resp;
  try {
    resp = co_await http_.send(std::move(req));
  } catch (const net::NetError& e) {
    metrics_.add("coachbot_teams_token_requests_total", {{"result", "network_error"}});
    spdlog::warn("teams: cannot reach the token endpoint: {}", e.what());
    co_return TokenResult{std::nullopt, std::string{"token endpoint: "} + e.what(), true};
  }
  const auto body = nlohmann::json::parse(resp.body, nullptr, false);
  if (resp.status == 200 && body.is_object() && body.contains("access_token") && body["access_token"].is_string()) {
    // Seconds, a number on the v2 endpoint; anything else is treated as the usual hour.
    const auto e = body.find("expires_in");
    const int expires = e != body.end() && e->is_number_integer() ? e->get<int>() : 3599;
    // Refresh five minutes early, so a token never expires on its way to Teams.
    const auto lifetime = std::chrono::seconds{std::max(expires - 300, 30)};
    const auto t = now();
    cached_ = Cached{body["access_token"].get<std::string>(), t + lifetime, t + std::chrono::seconds{expires}};
    metrics_.add("coachbot_teams_token_requests_total", {{"result", "ok"}});
    spdlog::debug("teams: new Bot Connector token, valid for {} s", expires);
    co_return TokenResult{cached_->token, {}, false};
  }
  const bool transient = resp.status >= 500 || resp.status == 429;
  std::string why = "HTTP " + std::to_string(resp.status);
  if (body.is_object()) {
    if (body.contains("error") && body["error"].is_string()) why += " " + body["error"].get<std::string>();
    if (body.contains("error_description") && body["error_description"].is_string()) {
      // The first line names the AADSTS code and what it means; the rest is trace ids.
      std::string d = body["error_description"].get<std::string>();
      d = d.substr(0, d.find_first_of("\r\n"));
      why += ": " + d;
    }
  }
  metrics_.add("coachbot_teams_token_requests_total", {{"result", transient ? "server_error" : "refused"}});
  if (transient)
    spdlog::warn("teams: the token endpoint failed ({}); will ask again", why);
  else
    spdlog::error("teams: Entra refused the bot's credentials ({}): check MICROSOFT_APP_ID, MICROSOFT_APP_PASSWORD "
                  "and MICROSOFT_APP_TENANT_ID", why);
  co_return TokenResult{std::nullopt, why, transient};
}

}  // namespace adapters::teams
