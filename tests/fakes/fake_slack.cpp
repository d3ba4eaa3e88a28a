#include "tests/fakes/fake_slack.hpp"

#include <algorithm>
#include <chrono>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace testing {

namespace asio = boost::asio;

struct FakeSlack::Socket {
  std::unique_ptr<net::WebSocket> ws;
  bool open = true;
  int acks = 0;
};

namespace {

net::HttpResponse json_response(const nlohmann::json& body, int status = 200) {
  net::HttpResponse r;
  r.status = status;
  r.headers.emplace_back("Content-Type", "application/json; charset=utf-8");
  r.body = body.dump();
  return r;
}

net::HttpResponse server_error() {
  net::HttpResponse r;
  r.status = 500;
  r.headers.emplace_back("Content-Type", "text/plain");
  r.body = "Internal Server Error";
  return r;
}

asio::awaitable<void> write_to(std::shared_ptr<FakeSlack::Socket> s, std::string text) {
  try {
    co_await s->ws->write(std::move(text));
  } catch (const net::NetError&) {
  }
}

}  // namespace

FakeSlack::FakeSlack(asio::any_io_executor executor) : executor_(executor) {
  net::HttpServerOptions options;
  options.port = 0;
  options.max_body_bytes = 8 * 1024 * 1024;
  server_ = std::make_unique<net::HttpServer>(executor, options, [this](net::ServerRequest r) { return api(std::move(r)); });
  server_->on_websocket("/link", [this](std::unique_ptr<net::WebSocket> ws, net::ServerRequest r) {
    return socket(std::move(ws), std::move(r));
  });
  server_->start();
}

FakeSlack::~FakeSlack() {
  for (auto& s : sockets_)
    if (s->open) s->ws->abort();
  server_->stop();
}

std::string FakeSlack::api_url() const { return "http://127.0.0.1:" + std::to_string(server_->port()) + "/api/"; }

std::vector<SlackCall> FakeSlack::calls(const std::string& method) const {
  std::vector<SlackCall> out;
  for (const auto& c : calls_)
    if (c.method == method) out.push_back(c);
  return out;
}

void FakeSlack::rate_limit(const std::string& method, int times, int retry_after_s) {
  limits_[method] = {times, retry_after_s};
}

void FakeSlack::fail(const std::string& method, int times, bool done) { failures_[method] = {times, done}; }

std::vector<nlohmann::json> FakeSlack::history(const std::string& channel) const {
  const auto it = history_.find(channel);
  return it == history_.end() ? std::vector<nlohmann::json>{} : it->second;
}

std::string FakeSlack::seed(const std::string& channel, const std::string& text, const nlohmann::json& metadata) {
  const auto now = std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch());
  const std::string ts = std::to_string(now.count()) + "." + std::to_string(100000 + next_ts_++);
  history_[channel].push_back({{"type", "message"}, {"ts", ts}, {"text", text}, {"metadata", metadata}});
  return ts;
}

void FakeSlack::hold(const std::string& method) {
  auto& timer = holds_[method];
  if (!timer) timer = std::make_shared<asio::steady_timer>(executor_, asio::steady_timer::time_point::max());
}

void FakeSlack::release(const std::string& method) {
  if (auto it = holds_.find(method); it != holds_.end()) {
    it->second->cancel();
    holds_.erase(it);
  }
}

int FakeSlack::waiting(const std::string& method) const {
  const auto it = waiting_.find(method);
  return it == waiting_.end() ? 0 : it->second;
}

int FakeSlack::open_sockets() const {
  int n = 0;
  for (const auto& s : sockets_)
    if (s->open) ++n;
  return n;
}

bool FakeSlack::acked(const std::string& envelope_id) const {
  for (const auto& a : acks_)
    if (a.first == envelope_id) return true;
  return false;
}

asio::awaitable<net::HttpResponse> FakeSlack::api(net::ServerRequest request) {
  const std::string path{request.path()};
  if (!path.starts_with("/api/")) co_return json_response({{"ok", false}, {"error", "not_found"}}, 404);
  const std::string method = path.substr(5);
  SlackCall call;
  call.method = method;
  const std::string auth{request.header("Authorization").value_or("")};
  if (auth.starts_with("Bearer ")) call.token = auth.substr(7);
  const std::string type{request.header("Content-Type").value_or("")};
  if (type.starts_with("application/json")) {
    call.args = nlohmann::json::parse(request.body, nullptr, false);
    if (!call.args.is_object()) co_return json_response({{"ok", false}, {"error", "invalid_json"}});
  } else {
    call.args = nlohmann::json::object();
    if (const auto fields = net::form_decode(request.body))
      for (const auto& [k, v] : *fields) call.args[k] = v;
  }
  if (auto held = holds_.find(method); held != holds_.end()) {
    const std::shared_ptr<asio::steady_timer> timer = held->second;
    boost::system::error_code ec;
    ++waiting_[method];
    co_await timer->async_wait(asio::redirect_error(asio::use_awaitable, ec));
    --waiting_[method];
  }
  calls_.push_back(call);

  if (auto it = limits_.find(method); it != limits_.end() && it->second.first > 0) {
    --it->second.first;
    calls_.back().rate_limited = true;
    net::HttpResponse r = json_response({{"ok", false}, {"error", "ratelimited"}}, 429);
    r.headers.emplace_back("Retry-After", std::to_string(it->second.second));
    co_return r;
  }
  const auto failure = failures_.find(method);
  const bool failing = failure != failures_.end() && failure->second.first > 0;
  if (failing) {
    --failure->second.first;
    if (!failure->second.second) {
      calls_.back().failed = true;
      co_return server_error();
    }
  }
  net::HttpResponse response = answer(calls_.back());
  if (failing) co_return server_error();
  co_return response;
}

net::HttpResponse FakeSlack::answer(const SlackCall& call) {
  const std::string& method = call.method;
  const nlohmann::json& a = call.args;
  const bool app_method = method == "apps.connections.open";
  if (call.token != (app_method ? kAppToken : kBotToken) || (!app_method && bot_token_revoked_))
    return json_response({{"ok", false}, {"error", call.token.empty() ? "not_authed" : "invalid_auth"}});

  if (method == "auth.test")
    return json_response(
        {{"ok", true}, {"user_id", "UCOACHBOT"}, {"bot_id", "BCOACHBOT"}, {"team_id", "T1"}, {"user", "coachbot"}});
  if (app_method) {
    const std::string ticket = std::to_string(tickets_.size() + 1);
    tickets_[ticket] = false;
    return json_response({{"ok", true},
                             {"url", "ws://127.0.0.1:" + std::to_string(server_->port()) + "/link?ticket=" + ticket}});
  }
  if (method == "chat.postMessage" || method == "chat.update") {
    std::string channel = a.value("channel", "");
    if (channel.empty()) return json_response({{"ok", false}, {"error", "channel_not_found"}});
    if (!a.contains("text") && !a.contains("blocks")) return json_response({{"ok", false}, {"error", "no_text"}});
    if (a.contains("blocks") && (!a["blocks"].is_array() || a["blocks"].size() > 50))
      return json_response({{"ok", false}, {"error", "invalid_blocks"}});
    if (channel.starts_with('U')) channel = "D" + channel.substr(1);
    std::string ts = a.value("ts", "");
    if (method == "chat.update" && ts.empty()) return json_response({{"ok", false}, {"error", "message_not_found"}});
    auto& messages = history_[channel];
    if (method == "chat.postMessage") {
      // Slack's ts: the second it was posted, and a counter that keeps them apart.
      const auto now = std::chrono::duration_cast<std::chrono::seconds>(
          std::chrono::system_clock::now().time_since_epoch());
      ts = std::to_string(now.count()) + "." + std::to_string(100000 + next_ts_++);
      nlohmann::json message{{"type", "message"}, {"ts", ts}, {"text", a.value("text", "")}};
      if (a.contains("metadata")) message["metadata"] = a["metadata"];
      messages.push_back(std::move(message));
    } else {
      for (auto& m : messages)
        if (m["ts"] == ts) m["text"] = a.value("text", "");
    }
    return json_response({{"ok", true}, {"channel", channel}, {"ts", ts}});
  }
  if (method == "chat.delete") {
    // The bot may delete only its own messages; here every message is the bot's.
    auto it = history_.find(a.value("channel", ""));
    if (it == history_.end()) return json_response({{"ok", false}, {"error", "channel_not_found"}});
    const std::string ts = a.value("ts", "");
    auto& messages = it->second;
    const auto m = std::find_if(messages.begin(), messages.end(), [&](const nlohmann::json& x) { return x["ts"] == ts; });
    if (m == messages.end()) return json_response({{"ok", false}, {"error", "message_not_found"}});
    messages.erase(m);
    return json_response({{"ok", true}, {"channel", it->first}, {"ts", ts}});
  }
  if (method == "conversations.history") {
    const auto it = history_.find(a.value("channel", ""));
    if (it == history_.end()) return json_response({{"ok", false}, {"error", "channel_not_found"}});
    // Form fields are strings; Slack compares the ts as numbers.
    const double oldest = std::stod(a.value("oldest", "0"));
    const bool with_metadata = a.value("include_all_metadata", "") == "true";
    nlohmann::json messages = nlohmann::json::array();
    for (auto m = it->second.rbegin(); m != it->second.rend(); ++m) {  // newest first
      if (std::stod(m->at("ts").get<std::string>()) < oldest) break;
      nlohmann::json shown = *m;
      if (!with_metadata) shown.erase("metadata");
      messages.push_back(std::move(shown));
    }
    return json_response({{"ok", true}, {"messages", messages}, {"has_more", false}});
  }
  if (method == "views.open") {
    if (a.value("trigger_id", "").empty() || !a.contains("view"))
      return json_response({{"ok", false}, {"error", "invalid_arguments"}});
    return json_response({{"ok", true}, {"view", {{"id", "V" + std::to_string(next_ts_++)}}}});
  }
  if (method == "views.publish") {
    if (a.value("user_id", "").empty() || !a.contains("view"))
      return json_response({{"ok", false}, {"error", "invalid_arguments"}});
    return json_response({{"ok", true}, {"view", {{"id", "VHOME"}}}});
  }
  if (method == "users.info") {
    const std::string user = a.value("user", "");
    if (user.empty()) return json_response({{"ok", false}, {"error", "user_not_found"}});
    const auto tz = user_time_zones.find(user);
    const std::string name = "user-" + user;
    return json_response(
        {{"ok", true},
         {"user",
          {{"id", user},
           {"name", name},
           {"real_name", "Real " + name},
           {"tz", tz == user_time_zones.end() ? std::string{"Europe/Berlin"} : tz->second},
           {"profile", {{"display_name", name}, {"real_name", "Real " + name}}}}}});
  }
  if (method == "conversations.open")
    return json_response({{"ok", true}, {"channel", {{"id", "D" + a.value("users", "X").substr(1)}}}});
  return json_response({{"ok", false}, {"error", "unknown_method"}});
}

asio::awaitable<void> FakeSlack::socket(std::unique_ptr<net::WebSocket> ws, net::ServerRequest request) {
  const std::string target = request.target;
  const auto at = target.find("ticket=");
  const std::string ticket = at == std::string::npos ? "" : target.substr(at + 7);
  auto s = std::make_shared<Socket>();
  s->ws = std::move(ws);
  const auto t = tickets_.find(ticket);
  if (t == tickets_.end() || t->second) {
    // Slack's URLs are single-use.
    s->ws->close(1008, "invalid or used ticket");
    co_return;
  }
  t->second = true;
  ++connections_opened_;
  sockets_.push_back(s);
  // Named first: g++ 12 mishandles braced temporaries inside a co_await expression.
  nlohmann::json hello{{"type", "hello"},
                       {"num_connections", open_sockets()},
                       {"debug_info", {{"host", "fake"}, {"approximate_connection_time", 18060}}},
                       {"connection_info", {{"app_id", "A1"}}}};
  std::string hello_text = hello.dump();
  co_await s->ws->write(std::move(hello_text));
  try {
    for (;;) {
      const std::string text = co_await s->ws->read();
      const auto frame = nlohmann::json::parse(text, nullptr, false);
      if (!frame.is_object() || !frame.contains("envelope_id")) continue;
      acks_.emplace_back(frame.value("envelope_id", ""), frame.value("payload", nlohmann::json()));
      ++s->acks;
    }
  } catch (const net::NetError&) {
  }
  s->open = false;
}

namespace {

nlohmann::json envelope_frame(const std::string& id, const std::string& type, nlohmann::json payload,
                              int retry_attempt) {
  return {{"envelope_id", id},
          {"type", type},
          {"payload", std::move(payload)},
          {"accepts_response_payload", type != "events_api"},
          {"retry_attempt", retry_attempt},
          {"retry_reason", retry_attempt > 0 ? "timeout" : ""}};
}

}  // namespace

std::string FakeSlack::send_envelope(const std::string& type, nlohmann::json payload, int retry_attempt,
                                     std::optional<std::string> envelope_id) {
  const std::string id = envelope_id.value_or("env-" + std::to_string(next_envelope_++));
  send_raw(envelope_frame(id, type, std::move(payload), retry_attempt).dump());
  return id;
}

std::shared_ptr<FakeSlack::Socket> FakeSlack::open_socket(std::size_t n) const {
  for (const auto& s : sockets_) {
    if (!s->open) continue;
    if (n == 0) return s;
    --n;
  }
  return nullptr;
}

void FakeSlack::write_on(std::shared_ptr<Socket> s, std::string text) {
  if (s) asio::co_spawn(executor_, write_to(std::move(s), std::move(text)), asio::detached);
}

std::string FakeSlack::send_envelope_on(std::size_t n, const std::string& type, nlohmann::json payload) {
  const std::string id = "env-" + std::to_string(next_envelope_++);
  write_on(open_socket(n), envelope_frame(id, type, std::move(payload), 0).dump());
  return id;
}

void FakeSlack::drop_socket(std::size_t n) {
  if (auto s = open_socket(n)) {
    s->open = false;
    s->ws->abort();
  }
}

int FakeSlack::acks_on(std::size_t n) const {
  const auto s = open_socket(n);
  return s ? s->acks : 0;
}

void FakeSlack::send_raw(const std::string& text) {
  const int open = open_sockets();
  if (open > 0) write_on(open_socket(static_cast<std::size_t>(open - 1)), text);
}

void FakeSlack::disconnect(const std::string& reason) {
  send_raw(nlohmann::json{{"type", "disconnect"}, {"reason", reason}, {"debug_info", {{"host", "fake"}}}}.dump());
}

nlohmann::json FakeSlack::dm(const std::string& user, const std::string& text, const std::string& event_id) {
  return {{"token", "x"},
          {"team_id", "T1"},
          {"api_app_id", "A1"},
          {"type", "event_callback"},
          {"event_id", event_id},
          {"event_time", 1700000000},
          {"event",
           {{"type", "message"},
            {"channel_type", "im"},
            {"channel", "D" + user.substr(1)},
            {"user", user},
            {"text", text},
            {"ts", "1700000000.000100"},
            {"event_ts", "1700000000.000100"}}}};
}

nlohmann::json FakeSlack::home_opened(const std::string& user, const std::string& event_id) {
  return {{"team_id", "T1"},
          {"type", "event_callback"},
          {"event_id", event_id},
          {"event",
           {{"type", "app_home_opened"}, {"user", user}, {"channel", "D" + user.substr(1)}, {"tab", "home"},
            {"event_ts", "1700000000.000200"}}}};
}

nlohmann::json FakeSlack::click(const std::string& user, const std::string& channel, const std::string& message_ts,
                                const std::string& action_id, const std::string& value, const std::string& trigger_id) {
  return {{"type", "block_actions"},
          {"team", {{"id", "T1"}, {"domain", "test"}}},
          {"user", {{"id", user}, {"team_id", "T1"}, {"name", "user-" + user}}},
          {"api_app_id", "A1"},
          {"trigger_id", trigger_id},
          {"container", {{"type", "message"}, {"message_ts", message_ts}, {"channel_id", channel}, {"is_ephemeral", false}}},
          {"channel", {{"id", channel}, {"name", "directmessage"}}},
          {"message", {{"type", "message"}, {"text", "the question"}, {"ts", message_ts}}},
          {"actions",
           {{{"type", "button"},
             {"action_id", action_id},
             {"block_id", "b1"},
             {"text", {{"type", "plain_text"}, {"text", "Chosen"}}},
             {"value", value},
             {"action_ts", "1700000001.000000"}}}}};
}

nlohmann::json FakeSlack::home_click(const std::string& user, const std::string& action_id, const std::string& value,
                                     const std::string& trigger_id) {
  return {{"type", "block_actions"},
          {"team", {{"id", "T1"}, {"domain", "test"}}},
          {"user", {{"id", user}, {"team_id", "T1"}}},
          {"trigger_id", trigger_id},
          {"container", {{"type", "view"}, {"view_id", "VHOME"}}},
          {"view", {{"id", "VHOME"}, {"type", "home"}, {"callback_id", ""}, {"private_metadata", ""}}},
          {"actions",
           {{{"type", "button"},
             {"action_id", action_id},
             {"block_id", "b1"},
             {"text", {{"type", "plain_text"}, {"text", "Start check-in"}}},
             {"value", value},
             {"action_ts", "1700000001.000000"}}}}};
}

nlohmann::json FakeSlack::submit(const std::string& user, const nlohmann::json& view, const nlohmann::json& values) {
  nlohmann::json v = view;
  v["id"] = "VMODAL1";
  // As in Slack: the hash changes only when the view is updated, and an answer of
  // response_action "errors" does not update it, so a corrected submission carries
  // the same id and hash. Each submission has its own trigger id.
  v["hash"] = "1700000000.VMODAL1";
  v["state"] = {{"values", values}};
  static int submissions = 0;
  return {{"type", "view_submission"},
          {"team", {{"id", "T1"}, {"domain", "test"}}},
          {"user", {{"id", user}, {"team_id", "T1"}}},
          {"trigger_id", "trigger-submit-" + std::to_string(++submissions)},
          {"view", v}};
}

}  // namespace testing
