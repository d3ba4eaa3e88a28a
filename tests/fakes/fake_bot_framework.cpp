#include "tests/fakes/fake_bot_framework.hpp"

#include <utility>

#include <boost/url/parse.hpp>
#include <boost/url/url_view.hpp>

#include "bot/clock.hpp"

namespace testing {

namespace asio = boost::asio;
using nlohmann::json;

namespace {

constexpr const char* kScope = "https://api.botframework.com/.default";
constexpr std::size_t kMaxActivityBytes = 100 * 1024;  // Teams' documented bot message limit

net::HttpResponse json_response(const json& body, int status) {
  net::HttpResponse r;
  r.status = status;
  r.headers.emplace_back("Content-Type", "application/json; charset=utf-8");
  r.body = body.dump();
  return r;
}

// The Connector's error shape (teams.md §6.1).
net::HttpResponse connector_error(int status, const std::string& code, const std::string& message) {
  return json_response({{"error", {{"code", code}, {"message", message}}}}, status);
}

// Entra's error shape: error, error_description starting with the AADSTS code.
net::HttpResponse entra_error(int status, const std::string& error, const std::string& description) {
  return json_response({{"error", error},
                        {"error_description", description + "\r\nTrace ID: 00000000-0000-0000-0000-000000000000"},
                        {"error_codes", json::array()},
                        {"timestamp", bot::format_utc(bot::SystemClock{}.now())}},
                       status);
}

std::string now_utc() { return bot::format_utc(bot::SystemClock{}.now()); }

json client_info() {
  return {{"type", "clientInfo"}, {"locale", "en-US"}, {"country", "DE"}, {"platform", "Web"},
          {"timezone", "Europe/Berlin"}};
}

}  // namespace

FakeBotFramework::FakeBotFramework(asio::any_io_executor executor, bool dev_mode)
    : executor_(executor), dev_mode_(dev_mode), minter_("fake-bf-key-1", {"msteams", "webchat"}) {
  net::HttpServerOptions options;
  options.port = 0;
  // Bigger than the Connector's own limit, so that an oversized activity reaches the
  // fake and gets Teams' 413 rather than the server's.
  options.max_body_bytes = 4 * 1024 * 1024;
  server_ = std::make_unique<net::HttpServer>(executor, options, [this](net::ServerRequest r) { return handle(std::move(r)); });
  server_->start();
  client_ = std::make_unique<net::HttpClient>(executor);
}

FakeBotFramework::~FakeBotFramework() {
  client_->close_idle();
  server_->stop();
}

std::string FakeBotFramework::base_url() const { return "http://127.0.0.1:" + std::to_string(server_->port()); }
std::string FakeBotFramework::service_url() const { return base_url() + "/connector/"; }
std::string FakeBotFramework::openid_url() const { return base_url() + "/v1/.well-known/openidconfiguration"; }
std::string FakeBotFramework::jwks_url() const { return base_url() + "/v1/.well-known/keys"; }
std::string FakeBotFramework::token_url_template() const { return base_url() + "/{tenant}/oauth2/v2.0/token"; }
std::string FakeBotFramework::token_url() const { return base_url() + "/" + kTenant + "/oauth2/v2.0/token"; }

std::vector<ConnectorCall> FakeBotFramework::sends_to(const std::string& conversation) const {
  std::vector<ConnectorCall> out;
  for (const auto& c : calls_) {
    if (c.conversation != conversation || c.status < 200 || c.status >= 300) continue;
    const bool create = c.path == "/v3/conversations";
    const bool activity = c.method == "PUT" || (c.method == "POST" && !create);
    if (activity || (create && c.body.is_object() && c.body.contains("activity"))) out.push_back(c);
  }
  return out;
}

void FakeBotFramework::fail_next(int status, std::string error_code, int times, std::optional<int> retry_after_s) {
  if (times <= 0) return;
  Failure f;
  f.status = status;
  f.code = std::move(error_code);
  f.times = times;
  f.retry_after_s = retry_after_s;
  failures_.push_back(std::move(f));
}

void FakeBotFramework::expire_token() { valid_token_.clear(); }

std::string FakeBotFramework::next_activity_id() { return std::to_string(next_activity_++); }

asio::awaitable<net::HttpResponse> FakeBotFramework::handle(net::ServerRequest request) {
  const auto target = boost::urls::parse_origin_form(request.target);
  if (!target) co_return json_response({{"error", "bad request target"}}, 400);
  // Decoded segments: the Connector sees "a:1x" whether the bot sent "a%3A1x" or not;
  // raw_target keeps what was sent for tests that care.
  std::vector<std::string> segments;
  for (std::string s : target->segments()) segments.push_back(std::move(s));

  if (segments.size() == 3 && segments[0] == "v1" && segments[1] == ".well-known") {
    if (request.method != "GET") co_return json_response({{"error", "method not allowed"}}, 405);
    // Both spellings: the documented one and the one newer SDKs use.
    if (segments[2] == "openidconfiguration" || segments[2] == "openid-configuration")
      co_return json_response({{"issuer", kIssuer},
                               {"authorization_endpoint", "https://invalid.botframework.com"},
                               {"jwks_uri", jwks_url()},
                               {"id_token_signing_alg_values_supported", json::array({"RS256"})},
                               {"token_endpoint_auth_methods_supported", json::array({"private_key_jwt"})}},
                              200);
    if (segments[2] == "keys") co_return json_response(minter_.jwks(), 200);
  }
  if (segments.size() == 4 && segments[1] == "oauth2" && segments[2] == "v2.0" && segments[3] == "token")
    co_return token_endpoint(request, segments[0]);
  if (!segments.empty() && segments[0] == "connector") {
    segments.erase(segments.begin());
    co_return connector(request, segments);
  }
  co_return json_response({{"error", "not found"}}, 404);
}

net::HttpResponse FakeBotFramework::token_endpoint(const net::ServerRequest& request, const std::string& tenant) {
  ++token_requests_;
  if (token_endpoint_down_) return json_response({{"error", "temporarily_unavailable"}}, 503);
  if (request.method != "POST") return entra_error(405, "invalid_request", "AADSTS900561: The endpoint only accepts POST requests.");
  const auto fields = net::form_decode(request.body);
  if (!fields) return entra_error(400, "invalid_request", "AADSTS900144: The request body is not a valid form.");
  std::map<std::string, std::string> form;
  for (const auto& [k, v] : *fields) form.emplace(k, v);
  const auto field = [&](const char* name) {
    const auto it = form.find(name);
    return it == form.end() ? std::string{} : it->second;
  };
  // Entra's answers to the configuration mistakes of teams.md §5.1, in its order.
  if (tenant != kTenant)
    return entra_error(400, "unauthorized_client",
                       "AADSTS700016: Application with identifier '" + field("client_id") +
                           "' was not found in the directory '" + tenant + "'.");
  if (field("grant_type") != "client_credentials")
    return entra_error(400, "unsupported_grant_type", "AADSTS70003: The app requested an unsupported grant type.");
  if (field("client_id") != kAppId)
    return entra_error(400, "unauthorized_client",
                       "AADSTS700016: Application with identifier '" + field("client_id") +
                           "' was not found in the directory '" + tenant + "'.");
  if (field("client_secret") != kAppSecret)
    return entra_error(401, "invalid_client", "AADSTS7000215: Invalid client secret provided.");
  if (field("scope") != kScope)
    return entra_error(400, "invalid_scope", "AADSTS70011: The provided value for the input parameter 'scope' is not valid.");

  // Opaque to the bot, and different every time, so a stale one is noticed.
  valid_token_ = "fake-connector-token-" + std::to_string(++tokens_issued_) + "-" + std::to_string(next_activity_);
  return json_response({{"token_type", "Bearer"},
                        {"expires_in", 3599},
                        {"ext_expires_in", 3599},
                        {"access_token", valid_token_}},
                       200);
}

net::HttpResponse FakeBotFramework::connector(const net::ServerRequest& request,
                                              const std::vector<std::string>& segments) {
  ConnectorCall call;
  call.method = request.method;
  for (const auto& s : segments) call.path += "/" + s;
  call.raw_target = request.target;
  if (segments.size() >= 3) call.conversation = segments[2];
  if (segments.size() >= 5) call.activity_id = segments[4];
  call.body = request.body.empty() ? json() : json::parse(request.body, nullptr, false);
  if (call.body.is_discarded()) call.body = json();
  call.authorization = std::string{request.header("Authorization").value_or("")};
  call.authorized = dev_mode_ || (!valid_token_.empty() && call.authorization == "Bearer " + valid_token_);

  net::HttpResponse response;
  if (!call.authorized) {
    response = json_response({{"message", "Authorization has been denied for this request."}}, 401);
  } else if (!failures_.empty()) {
    Failure& f = failures_.front();
    if (f.code.empty()) {
      response.status = f.status;
    } else if (f.code == "MessageWritesBlocked") {
      // The one error that comes in another shape (teams.md §6.1).
      const json inner{{"subCode", "MessageWritesBlocked"},
                       {"details", "Thread is blocked from message writes."},
                       {"errorCode", nullptr},
                       {"errorSubCode", nullptr}};
      response = json_response({{"errorCode", 209}, {"message", inner.dump()}}, f.status);
    } else {
      response = connector_error(f.status, f.code, "Injected by the test.");
    }
    if (f.retry_after_s) response.headers.emplace_back("Retry-After", std::to_string(*f.retry_after_s));
    if (--f.times <= 0) failures_.pop_front();
  } else {
    response = connector_route(call, segments);
  }
  call.status = response.status;
  calls_.push_back(std::move(call));
  return response;
}

net::HttpResponse FakeBotFramework::connector_route(ConnectorCall& call, const std::vector<std::string>& segments) {
  const json& body = call.body;
  const bool conversations = segments.size() >= 2 && segments[0] == "v3" && segments[1] == "conversations";
  if (!conversations) return connector_error(404, "NotFound", "No such Connector operation.");

  if (segments.size() == 2) {
    if (call.method != "POST") return connector_error(405, "MethodNotAllowed", "POST only.");
    // Create conversation (teams.md §6.4): 1:1 with exactly one member, or a new
    // thread in a channel with its first activity. Group chats cannot be created.
    if (!body.is_object()) return connector_error(400, "BadSyntax", "Incorrect conversation creation parameters");
    const auto tenant = body.find("tenantId");
    if (tenant == body.end() || !tenant->is_string() || tenant->get<std::string>().empty())
      return connector_error(400, "BadSyntax", "Incorrect conversation creation parameters");
    const auto is_group = body.find("isGroup");
    if (is_group != body.end() && is_group->is_boolean() && is_group->get<bool>()) {
      json channel;
      if (const auto cd = body.find("channelData"); cd != body.end() && cd->is_object())
        if (const auto ch = cd->find("channel"); ch != cd->end() && ch->is_object()) channel = ch->value("id", json());
      const auto activity = body.find("activity");
      if (!channel.is_string() || channel.get<std::string>().empty() || activity == body.end() ||
          !activity->is_object())
        return connector_error(400, "BadSyntax", "Incorrect conversation creation parameters");
      const std::string id = next_activity_id();
      call.conversation = channel.get<std::string>() + ";messageid=" + id;
      return json_response({{"id", call.conversation}, {"activityId", id}}, 201);
    }
    const auto members = body.find("members");
    if (members == body.end() || !members->is_array() || members->size() != 1 || !(*members)[0].is_object())
      return connector_error(400, "BadSyntax", "Incorrect conversation creation parameters");
    const std::string member = (*members)[0].value("id", "");
    if (member.empty()) return connector_error(400, "BadSyntax", "Incorrect conversation creation parameters");
    // Idempotent, like Teams: the same user always gets the same conversation, the one
    // their own messages arrive in. Both the 29: id and the aadObjectId address them.
    call.conversation = personal_conversation(member.starts_with("29:") ? member.substr(3) : member);
    return json_response({{"id", call.conversation}}, 201);
  }

  const bool activities = (segments.size() == 4 || segments.size() == 5) && segments[3] == "activities" &&
                          !segments[2].empty() && (segments.size() == 4 || !segments[4].empty());
  if (!activities) return connector_error(404, "NotFound", "No such Connector operation.");
  if (call.method == "DELETE") {
    if (segments.size() != 5) return connector_error(405, "MethodNotAllowed", "DELETE needs an activity id.");
    net::HttpResponse r;
    r.status = 200;
    return r;
  }
  if (call.method != "POST" && call.method != "PUT") return connector_error(405, "MethodNotAllowed", "POST or PUT.");
  if (call.method == "PUT" && segments.size() != 5)
    return connector_error(405, "MethodNotAllowed", "PUT needs an activity id.");
  if (!body.is_object() || !body.contains("type") || !body["type"].is_string())
    return connector_error(400, "BadArgument", "Activity type is required.");
  if (body.dump().size() > kMaxActivityBytes)
    return connector_error(413, "MessageSizeTooBig", "Message size is too big.");
  if (call.method == "PUT") return json_response({{"id", call.activity_id}}, 200);
  return json_response({{"id", next_activity_id()}}, 201);
}

asio::awaitable<net::HttpResponse> FakeBotFramework::post_activity(std::string bot_url, json activity,
                                                                   std::optional<std::string> authorization) {
  net::HttpRequest request;
  request.method = "POST";
  request.url = std::move(bot_url);
  request.headers.emplace_back("Content-Type", "application/json; charset=utf-8");
  if (authorization) request.headers.emplace_back("Authorization", *authorization);
  request.body = activity.dump();
  co_return co_await client_->send(std::move(request));
}

std::string FakeBotFramework::token_for(const std::string& service_url) const {
  return minter_.bot_framework_token(kAppId, service_url, bot::SystemClock{}.now());
}

std::string FakeBotFramework::personal_conversation(const std::string& user_aad) { return "a:1" + user_aad; }

json FakeBotFramework::base_activity(const std::string& type, const std::string& user_aad,
                                     const std::string& activity_id) const {
  return {{"type", type},
          {"id", activity_id},
          {"timestamp", now_utc()},
          {"localTimezone", "Europe/Berlin"},
          {"serviceUrl", service_url()},
          {"channelId", "msteams"},
          {"from", {{"id", "29:" + user_aad}, {"name", "User " + user_aad.substr(0, 8)}, {"aadObjectId", user_aad}}},
          {"conversation",
           {{"conversationType", "personal"}, {"tenantId", kTenant}, {"id", personal_conversation(user_aad)}}},
          {"recipient", {{"id", std::string{"28:"} + kAppId}, {"name", kBotName}}},
          {"entities", json::array({client_info()})},
          {"channelData", {{"tenant", {{"id", kTenant}}}}},
          {"locale", "en-US"}};
}

json FakeBotFramework::personal_message(const std::string& user_aad, const std::string& text,
                                        const std::string& activity_id) const {
  json a = base_activity("message", user_aad, activity_id);
  a["textFormat"] = "plain";
  a["text"] = text;
  // Teams adds the HTML rendering of what the user typed.
  a["attachments"] = json::array({{{"contentType", "text/html"}, {"content", "<p>" + text + "</p>"}}});
  return a;
}

json FakeBotFramework::card_submit(const std::string& user_aad, const std::string& reply_to_id, const json& value,
                                   const std::string& activity_id) const {
  json a = base_activity("message", user_aad, activity_id);
  a["replyToId"] = reply_to_id;
  a["value"] = value;
  a["channelData"]["source"] = {{"name", "message"}};
  a["channelData"]["legacy"] = {{"replyToId", reply_to_id}};
  return a;
}

json FakeBotFramework::install(const std::string& user_aad) const {
  // Install events carry "f:" ids rather than message ids.
  json a = base_activity("installationUpdate", user_aad, "f:" + std::to_string(8'100'000'000'000'000'000LL + next_event_++));
  a["action"] = "add";
  a["channelData"]["source"] = nullptr;
  return a;
}

json FakeBotFramework::channel_mention(const std::string& user_aad, const std::string& channel_id,
                                       const std::string& text, const std::string& activity_id) const {
  const std::string at = std::string{"<at>"} + kBotName + "</at>";
  json a = base_activity("message", user_aad, activity_id);
  a["conversation"] = {{"isGroup", true},
                       {"conversationType", "channel"},
                       {"tenantId", kTenant},
                       {"id", channel_id + ";messageid=" + activity_id}};
  a["textFormat"] = "plain";
  a["text"] = at + " " + text;
  a["attachments"] = json::array({{{"contentType", "text/html"}, {"content", "<p>" + at + " " + text + "</p>"}}});
  a["entities"] = json::array({{{"type", "mention"},
                                {"text", at},
                                {"mentioned", {{"id", std::string{"28:"} + kAppId}, {"name", kBotName}}}},
                               client_info()});
  a["channelData"] = {{"teamsChannelId", channel_id},
                      {"teamsTeamId", channel_id},
                      {"channel", {{"id", channel_id}}},
                      {"team", {{"id", channel_id}}},
                      {"tenant", {{"id", kTenant}}}};
  return a;
}

}  // namespace testing
