// Teams end to end: the real TeamsService behind the real HTTP server, the engine and a
// SQLite file, against the in-tree fake of the Bot Framework on 127.0.0.1 (OpenID
// metadata, JWKS, Entra token endpoint, Bot Connector). Activities arrive with JWTs
// minted like Bot Service's; everything runs on one io_context that the test drives
// until what it waits for has happened; nothing sleeps.
#include <catch2/catch.hpp>

#include <algorithm>
#include <functional>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>

#include "adapters/net/http_client.hpp"
#include "adapters/net/http_server.hpp"
#include "adapters/teams/teams_service.hpp"
#include "dialogs/coach_conversation.hpp"
#include "dialogs/kudos.hpp"
#include "storage/sqlite_store.hpp"
#include "tests/fakes/fake_bot_framework.hpp"
#include "tests/support/open_calendar.hpp"
#include "tests/support/temp_dir.hpp"

using Catch::Matchers::Contains;
using testing::FakeBotFramework;
namespace asio = boost::asio;

namespace {

struct TeamsRig {
  explicit TeamsRig(bool dev_mode = false) : bf(io.get_executor(), dev_mode) {
    adapters::teams::TeamsOptions o;
    o.dev_mode = dev_mode;
    if (!dev_mode) {
      o.app_id = FakeBotFramework::kAppId;
      o.app_password = FakeBotFramework::kAppSecret;
      o.tenant_id = FakeBotFramework::kTenant;
    }
    o.openid_url = bf.openid_url();
    o.token_url = bf.token_url_template();
    o.default_service_url = bf.service_url();
    o.extra_service_hosts = {"127.0.0.1"};
    service = std::make_unique<adapters::teams::TeamsService>(io.get_executor(), store, engine, sender, clock, http,
                                                              metrics, o);
    server = std::make_unique<net::HttpServer>(
        io.get_executor(), net::HttpServerOptions{},
        [this](net::ServerRequest r) -> asio::awaitable<net::HttpResponse> {
          net::HttpResponse out = co_await service->handle_http(std::move(r));
          co_return out;
        });
    server->start();
    bot_url = "http://127.0.0.1:" + std::to_string(server->port()) + "/api/messages";
    asio::co_spawn(io, service->run(), [this](std::exception_ptr) { stopped = true; });
    run_until([&] { return service->ready(); });
  }
  ~TeamsRig() {
    service->stop();
    server->stop();
    io.run_for(std::chrono::milliseconds{100});
  }

  // Drives the io_context until `done` holds; fails the test after 10 s.
  template <class F>
  void run_until(F done, std::chrono::milliseconds limit = std::chrono::milliseconds{10000}) {
    const auto deadline = std::chrono::steady_clock::now() + limit;
    while (!done()) {
      if (std::chrono::steady_clock::now() > deadline) FAIL("timed out waiting");
      io.run_one_for(std::chrono::milliseconds{50});
    }
  }

  // Posts an activity as Teams would (signed for its serviceUrl unless told otherwise)
  // and returns the bot's HTTP answer.
  net::HttpResponse post(nlohmann::json activity, std::optional<std::string> authorization = std::string{"sign"}) {
    if (authorization && *authorization == "sign")
      authorization = "Bearer " + bf.token_for(activity.value("serviceUrl", ""));
    std::optional<net::HttpResponse> answer;
    asio::co_spawn(io, bf.post_activity(bot_url, std::move(activity), std::move(authorization)),
                   [&](std::exception_ptr e, net::HttpResponse r) {
                     if (e) r.status = -1;
                     answer = std::move(r);
                   });
    run_until([&] { return answer.has_value(); });
    return *answer;
  }

  // What the person saw in their 1:1 chat: every message sent there (not updates).
  std::vector<testing::ConnectorCall> chat(const std::string& aad) const {
    std::vector<testing::ConnectorCall> out;
    for (const auto& c : bf.sends_to(FakeBotFramework::personal_conversation(aad)))
      if (c.method == "POST") out.push_back(c);
    return out;
  }
  static std::string text_of(const testing::ConnectorCall& c) {
    if (c.body.contains("text")) return c.body.value("text", "");
    return c.body.dump();  // a card: all of its text is in there
  }
  // Says something in the 1:1 chat and waits for the answer; returns it.
  testing::ConnectorCall say(const std::string& aad, const std::string& text) {
    const auto before = chat(aad).size();
    const auto r = post(bf.personal_message(aad, text, "msg-" + std::to_string(++activities)));
    REQUIRE(r.status == 200);
    run_until([&] { return chat(aad).size() > before; });
    return chat(aad).back();
  }
  int count(const std::string& sql) { return store.database().execAndGet(sql).getInt(); }
  // The scheduler's weekly check-in prompt for a known person, handled as the scheduler
  // would, then the outbox woken.
  void fire_checkin(const std::string& aad) {
    const auto person = store.people().find_by_identity({bot::Platform::teams, FakeBotFramework::kTenant, aad});
    REQUIRE(person);
    bot::Event timer;
    timer.from = {bot::Platform::teams, FakeBotFramework::kTenant, aad};
    timer.kind = bot::EventKind::timer;
    timer.action = "checkin";
    timer.value = "2026-W48";
    timer.platform_event_id = "timer:checkin:" + std::to_string(person->id.value) + ":2026-W48";
    timer.received_at = clock.now();
    REQUIRE(engine.handle(timer).status == bot::Handled::done);
    service->kick();
  }

  testing::TempDir dir;
  asio::io_context io;
  FakeBotFramework bf;
  storage::SqliteStore store{{dir.file("coach.db")}};
  bot::SystemClock clock;
  dialogs::CoachConversation conversation;
  bot::Engine engine{store, conversation, clock,
                     bot::EngineSettings{bot::Defaults{"Europe/London", 1, 540}, std::chrono::hours{168}, {}, {}, testing::always_open_calendar(), {}, false}};
  bot::OutboxSender sender{store, clock, 8};
  net::Metrics metrics;
  net::HttpClient http{io.get_executor()};
  std::unique_ptr<adapters::teams::TeamsService> service;
  std::unique_ptr<net::HttpServer> server;
  std::string bot_url;
  bool stopped = false;
  int activities = 0;
};

// The first adaptive card of an activity the bot sent.
nlohmann::json card_of(const testing::ConnectorCall& c) {
  const auto& body = c.body.contains("activity") ? c.body["activity"] : c.body;
  REQUIRE(body.contains("attachments"));
  return body["attachments"][0]["content"];
}

// Every element of a card, depth first (inputs sit inside containers too).
void walk(const nlohmann::json& node, const std::function<void(const nlohmann::json&)>& f) {
  if (node.is_object()) {
    f(node);
    for (const auto& [k, v] : node.items()) walk(v, f);
  } else if (node.is_array()) {
    for (const auto& v : node) walk(v, f);
  }
}

// What Teams sends for the card's first Action.Submit that carries `kind`: its data
// merged with every input filled in (numbers as `number`).
nlohmann::json submit_value(const nlohmann::json& card, const std::string& kind, const std::string& number) {
  nlohmann::json value = nlohmann::json::object();
  walk(card, [&](const nlohmann::json& el) {
    if (value.empty() && el.value("type", "") == "Action.Submit" && el.contains("data") &&
        el["data"].value("cb_kind", "") == kind)
      value = el["data"];
  });
  walk(card, [&](const nlohmann::json& el) {
    const std::string type = el.value("type", "");
    if (!type.starts_with("Input.")) return;
    const std::string id = el.value("id", "");
    if (type == "Input.Number") value[id] = number;
    else if (type == "Input.ChoiceSet") value[id] = el["choices"][0].value("value", "");
    else if (type == "Input.Toggle") value[id] = el.value("valueOn", "true");
    else if (type == "Input.Date") value[id] = "2026-11-20";
    else value[id] = "Learned about " + id;
  });
  return value;
}

bool has_actions(const nlohmann::json& card) {
  bool found = false;
  walk(card, [&](const nlohmann::json& el) {
    const std::string type = el.value("type", "");
    if (type.starts_with("Action.") || type.starts_with("Input.")) found = true;
  });
  return found;
}

}  // namespace

TEST_CASE("Teams: install greets the person and stores the reference, a check-in card is submitted once", "[teams]") {
  TeamsRig rig;
  const std::string aad = "7faf8ab2-0000-4000-8000-000000000001";
  REQUIRE(rig.post(rig.bf.install(aad)).status == 200);
  rig.run_until([&] { return !rig.chat(aad).empty(); });
  CHECK_THAT(TeamsRig::text_of(rig.chat(aad).front()), Contains("Welcome") || Contains("welcome") || Contains("Hi"));
  // The person exists, named and zoned from the activity, and their chat is remembered.
  CHECK(rig.count("SELECT count(*) FROM people") == 1);
  CHECK(rig.store.database().execAndGet("SELECT time_zone FROM people").getString() == "Europe/Berlin");
  CHECK(rig.count("SELECT count(*) FROM conversations WHERE kind = 'personal' AND person_id IS NOT NULL") == 1);
  // Every Connector call carried the token the token endpoint issued.
  for (const auto& c : rig.bf.calls()) CHECK(c.authorized);
  CHECK(rig.bf.token_requests() == 1);

  // The check-in comes as a card with the questions as inputs.
  const auto asked = rig.say(aad, "checkin");
  const nlohmann::json card = card_of(asked);
  // The id the fake answered for that send is what Teams puts in replyToId.
  const auto refs = rig.store.database().execAndGet(
      "SELECT platform_ref FROM outbox WHERE platform = 'teams' AND status = 'delivered' ORDER BY id DESC LIMIT 1");
  const std::string ref = refs.getString();
  const std::string reply_to = ref.substr(ref.rfind('|') + 1);

  // A number out of range is refused and the card comes back with the reason.
  bool has_number = false;
  walk(card, [&](const nlohmann::json& el) { has_number = has_number || el.value("type", "") == "Input.Number"; });
  if (has_number) {
    const auto puts_before = rig.bf.calls().size();
    REQUIRE(rig.post(rig.bf.card_submit(aad, reply_to, submit_value(card, "form", "150"), "submit-1")).status == 200);
    rig.run_until([&] {
      for (std::size_t i = puts_before; i < rig.bf.calls().size(); ++i)
        if (rig.bf.calls()[i].method == "PUT") return true;
      return false;
    });
    CHECK(rig.count("SELECT count(*) FROM checkins") == 0);
  }
  REQUIRE(rig.post(rig.bf.card_submit(aad, reply_to, submit_value(card, "form", "80"), "submit-2")).status == 200);
  CHECK(rig.count("SELECT count(*) FROM checkins") == 1);
  rig.run_until([&] { return TeamsRig::text_of(rig.chat(aad).back()).find("Saved your check-in") != std::string::npos; });
  // The submitted card was replaced by one without inputs or buttons.
  rig.run_until([&] {
    const auto& calls = rig.bf.calls();
    return std::any_of(calls.begin(), calls.end(), [&](const testing::ConnectorCall& c) {
      return c.method == "PUT" && c.activity_id == reply_to && c.status == 200 && !has_actions(card_of(c));
    });
  });
}

TEST_CASE("Teams: a manager approves with the card button, the learner hears in a chat created for them", "[teams]") {
  TeamsRig rig;
  const std::string manager = "aaaaaaaa-0000-4000-8000-00000000000b";
  const std::string learner = "aaaaaaaa-0000-4000-8000-00000000000a";
  REQUIRE(rig.post(rig.bf.install(manager)).status == 200);
  rig.run_until([&] { return !rig.chat(manager).empty(); });
  const auto bob = rig.store.people().find_by_identity({bot::Platform::teams, FakeBotFramework::kTenant, manager});
  REQUIRE(bob);
  bot::Person alice;
  alice.display_name = "Alice";
  alice.prefs.time_zone = "Europe/Berlin";
  alice.manager = bob->id;
  alice = rig.store.people().create(alice, bot::Identity{bot::Platform::teams, FakeBotFramework::kTenant, learner});
  bot::Plan plan;
  plan.person = alice.id;
  plan.period_start = "2026-01-01";
  plan.period_end = "2028-01-01";
  plan.aspiration_short = "Lead the data team";
  plan.status = bot::PlanStatus::submitted;
  plan = rig.store.plans().save(plan, rig.clock.now());

  // The review request as the plan dialog sends it.
  bot::Message request = bot::Message::text(bot::Recipient::dm(bob->id), "Alice sent you their learning plan.");
  request.buttons = {{"plan_review", "Approve", "approve:" + std::to_string(plan.id.value), bot::ButtonStyle::primary}};
  const auto request_id = rig.store.outbox().add(bot::Platform::teams, request, rig.clock.now());
  rig.service->kick();
  rig.run_until([&] { return rig.store.outbox().find(request_id)->platform_ref.has_value(); });
  const std::string card = rig.store.outbox().find(request_id)->platform_ref->substr(
      rig.store.outbox().find(request_id)->platform_ref->rfind('|') + 1);

  const nlohmann::json value{{"cb_kind", "button"},
                             {"cb_action", "plan_review"},
                             {"cb_value", "approve:" + std::to_string(plan.id.value)},
                             {"cb_label", "Approve"}};
  REQUIRE(rig.post(rig.bf.card_submit(manager, card, value, "click-1")).status == 200);
  CHECK(rig.store.plans().find(plan.id)->status == bot::PlanStatus::approved);
  // The card says what was chosen and loses its buttons; the decision is a new message.
  rig.run_until([&] { return rig.count("SELECT count(*) FROM outbox WHERE status = 'pending'") == 0; });
  std::vector<std::string> edits;
  for (const auto& c : rig.bf.calls())
    if (c.method == "PUT" && c.activity_id == card) edits.push_back(c.body.dump());
  REQUIRE(edits.size() == 1);
  CHECK_THAT(edits.back(), Contains("✓ Approve") && !Contains("Action.Submit"));
  CHECK_THAT(TeamsRig::text_of(rig.chat(manager).back()), Contains("You approved"));
  // Alice never wrote to the bot: a 1:1 chat is created with her Entra id, then used.
  rig.run_until([&] { return !rig.chat(learner).empty(); });
  CHECK_THAT(TeamsRig::text_of(rig.chat(learner).back()), Contains("approved"));
  bool created = false;
  for (const auto& c : rig.bf.calls())
    if (c.method == "POST" && c.path == "/v3/conversations" && c.body.value("tenantId", "") == FakeBotFramework::kTenant &&
        c.body["members"][0].value("id", "") == learner)
      created = true;
  CHECK(created);
  CHECK(rig.count("SELECT count(*) FROM conversations WHERE kind = 'personal'") == 2);
}

TEST_CASE("Teams: a scheduled check-in goes proactively to the stored conversation, with an alert", "[teams]") {
  TeamsRig rig;
  const std::string aad = "bbbbbbbb-0000-4000-8000-000000000001";
  const auto alert = "/channelData/notification/alert"_json_pointer;
  // A reply shows in the chat the person is looking at: no activity-feed alert on top.
  CHECK_FALSE(rig.say(aad, "hello").body.value(alert, false));
  const auto before = rig.chat(aad).size();
  rig.fire_checkin(aad);
  rig.run_until([&] { return rig.chat(aad).size() > before; });
  CHECK(rig.chat(aad).back().body.value(alert, false));
}

TEST_CASE("Teams: a 429 from the Connector delays the reply until Retry-After, nothing is lost", "[teams]") {
  TeamsRig rig;
  const std::string aad = "cccccccc-0000-4000-8000-000000000001";
  rig.say(aad, "hello");
  rig.bf.fail_next(429, "Throttled", 1, 1);
  const auto start = std::chrono::steady_clock::now();
  const auto reply = rig.say(aad, "help");
  CHECK(std::chrono::steady_clock::now() - start >= std::chrono::milliseconds{900});
  CHECK_FALSE(TeamsRig::text_of(reply).empty());
  int throttled = 0;
  for (const auto& c : rig.bf.calls()) throttled += c.status == 429;
  CHECK(throttled == 1);
  // Recorded as delivered once Teams took it.
  rig.run_until([&] { return rig.count("SELECT count(*) FROM outbox WHERE status = 'pending'") == 0; });
}

TEST_CASE("Teams: an expired Connector token is replaced once and the message still goes", "[teams]") {
  TeamsRig rig;
  const std::string aad = "dddddddd-0000-4000-8000-000000000001";
  rig.say(aad, "hello");
  rig.bf.expire_token();
  rig.say(aad, "help");
  CHECK(rig.bf.token_requests() == 2);
}

TEST_CASE("Teams: 403 BotNotInConversationRoster marks the chat inactive and stops messaging it", "[teams]") {
  TeamsRig rig;
  const std::string aad = "eeeeeeee-0000-4000-8000-000000000001";
  rig.say(aad, "hello");
  rig.bf.fail_next(403, "BotNotInConversationRoster");
  REQUIRE(rig.post(rig.bf.personal_message(aad, "help", "m-403")).status == 200);
  rig.run_until([&] { return rig.count("SELECT count(*) FROM conversations WHERE active = 0") == 1; });
  CHECK_THAT(rig.metrics.render(), Contains("coachbot_teams_conversations_inactive 1"));
  const auto calls = rig.bf.calls().size();
  // Writing again reopens it: a message from there proves the bot is back.
  rig.say(aad, "help");
  CHECK(rig.bf.calls().size() > calls);
  CHECK(rig.count("SELECT count(*) FROM conversations WHERE active = 0") == 0);
}

TEST_CASE("Teams: a 1:1 chat Teams no longer knows (404) is opened again and the message still arrives", "[teams]") {
  TeamsRig rig;
  const std::string aad = "eeeeeeee-0000-4000-8000-000000000404";
  rig.say(aad, "hello");
  const auto before = rig.chat(aad).size();
  rig.bf.fail_next(404, "ConversationNotFound");
  rig.fire_checkin(aad);
  rig.run_until([&] { return rig.chat(aad).size() > before; });
  bool created = false;
  for (const auto& c : rig.bf.calls())
    if (c.method == "POST" && c.path == "/v3/conversations" && c.body["members"][0].value("id", "") == aad)
      created = true;
  CHECK(created);
  CHECK(rig.count("SELECT count(*) FROM conversations WHERE kind = 'personal' AND active = 1") == 1);
  CHECK(rig.count("SELECT count(*) FROM outbox WHERE status = 'dead'") == 0);
}

TEST_CASE("Teams: tokens are checked, a refused activity gets 401 and stores nothing", "[teams]") {
  TeamsRig rig;
  const std::string aad = "ffffffff-0000-4000-8000-000000000001";
  const auto activity = rig.bf.personal_message(aad, "hello", "m-1");
  CHECK(rig.post(activity, std::nullopt).status == 401);
  CHECK(rig.post(activity, std::string{"Bearer not.a.token"}).status == 401);
  // Signed for another serviceUrl: the claim does not match the activity.
  CHECK(rig.post(activity, "Bearer " + rig.bf.token_for("https://smba.trafficmanager.net/emea/")).status == 401);
  auto elsewhere = activity;
  elsewhere["serviceUrl"] = "https://evil.example.com/";
  CHECK(rig.post(elsewhere).status == 401);
  CHECK(rig.count("SELECT count(*) FROM people") == 0);
  CHECK_THAT(rig.metrics.render(), Contains("coachbot_events_rejected_total{reason="));
  // Without a token nothing of the body is read; with one, a malformed body is a 400.
  for (const bool with_token : {false, true}) {
    net::HttpResponse bad;
    bool done = false;
    asio::co_spawn(rig.io, [&]() -> asio::awaitable<void> {
      net::HttpRequest req;
      req.url = rig.bot_url;
      req.headers.emplace_back("Content-Type", "application/json");
      if (with_token)
        req.headers.emplace_back("Authorization", "Bearer " + rig.bf.token_for("https://smba.trafficmanager.net/emea/"));
      req.body = "{not json";
      bad = co_await rig.http.send(std::move(req));
      done = true;
    }, [](std::exception_ptr) {});
    rig.run_until([&] { return done; });
    CHECK(bad.status == (with_token ? 400 : 401));
  }
  // And the real thing works.
  CHECK(rig.post(activity).status == 200);
  CHECK(rig.count("SELECT count(*) FROM people") == 1);
}

TEST_CASE("Teams: a redelivered activity changes nothing", "[teams]") {
  TeamsRig rig;
  const std::string aad = "12121212-0000-4000-8000-000000000001";
  const auto activity = rig.bf.personal_message(aad, "checkin", "same-id");
  REQUIRE(rig.post(activity).status == 200);
  rig.run_until([&] { return !rig.chat(aad).empty(); });
  REQUIRE(rig.post(activity).status == 200);
  rig.io.run_for(std::chrono::milliseconds{100});
  CHECK(rig.chat(aad).size() == 1);
  CHECK(rig.metrics.value("coachbot_events_duplicate_total") == 1);
}

TEST_CASE("Teams: @mentioned in a channel, the bot answers in the 1:1 chat and says so in the thread", "[teams]") {
  TeamsRig rig;
  const std::string aad = "34343434-0000-4000-8000-000000000001";
  const std::string channel = "19:general0000@thread.tacv2";
  REQUIRE(rig.post(rig.bf.channel_mention(aad, channel, "help", "1776390257332")).status == 200);
  const std::string thread = channel + ";messageid=1776390257332";
  rig.run_until([&] { return !rig.bf.sends_to(thread).empty(); });
  CHECK_THAT(TeamsRig::text_of(rig.bf.sends_to(thread).back()), Contains("1:1 chat"));
  // The answer went to a 1:1 chat opened with the user id seen in the channel.
  bool created = false;
  for (const auto& c : rig.bf.calls())
    if (c.path == "/v3/conversations" && c.body.value("isGroup", true) == false &&
        c.body["members"][0].value("id", "") == "29:" + aad)
      created = true;
  CHECK(created);
  CHECK(rig.count("SELECT count(*) FROM conversations WHERE kind = 'channel'") == 1);
}

TEST_CASE("Teams: an Action.Execute invoke is answered with the card that replaces the pressed one", "[teams]") {
  TeamsRig rig;
  const std::string aad = "56565656-0000-4000-8000-000000000001";
  rig.say(aad, "hello");
  nlohmann::json invoke = rig.bf.personal_message(aad, "", "inv-1");
  invoke["type"] = "invoke";
  invoke["name"] = "adaptiveCard/action";
  invoke.erase("text");
  invoke["value"] = {{"action", {{"type", "Action.Execute"}, {"verb", "help"}, {"data", {{"cb_kind", "button"}, {"cb_action", "command"}, {"cb_value", "help"}, {"cb_label", "Help"}}}}},
                     {"trigger", "manual"}};
  const auto r = rig.post(invoke);
  REQUIRE(r.status == 200);
  const auto body = nlohmann::json::parse(r.body);
  CHECK(body.value("statusCode", 0) == 200);
  CHECK_THAT(body.value("type", ""), Contains("application/vnd.microsoft"));
  // An invoke nothing here handles: 501, as Microsoft's SDKs answer.
  invoke["name"] = "composeExtension/query";
  invoke["id"] = "inv-2";
  CHECK(rig.post(invoke).status == 501);
}

TEST_CASE("Teams dev mode: no token is accepted or sent, and only loopback serviceUrls", "[teams]") {
  TeamsRig rig{true};
  const std::string aad = "78787878-0000-4000-8000-000000000001";
  REQUIRE(rig.post(rig.bf.personal_message(aad, "hello", "d-1"), std::nullopt).status == 200);
  rig.run_until([&] { return !rig.chat(aad).empty(); });
  for (const auto& c : rig.bf.calls()) CHECK(c.authorization.empty());
  CHECK(rig.bf.token_requests() == 0);
  CHECK(rig.post(rig.bf.personal_message(aad, "hello", "d-2")).status == 401);  // a token: not the Playground
  auto remote = rig.bf.personal_message(aad, "hello", "d-3");
  remote["serviceUrl"] = "https://smba.trafficmanager.net/emea/";
  CHECK(rig.post(remote, std::nullopt).status == 401);
}

TEST_CASE("Teams: a shared achievement starts a channel thread, kudos from the channel update it", "[teams]") {
  TeamsRig rig;
  const std::string alice_aad = "9a9a9a9a-0000-4000-8000-00000000000a";
  const std::string bob_aad = "9b9b9b9b-0000-4000-8000-00000000000b";
  // Channels of teams made before 2020 keep their older id form.
  const std::string channel = GENERATE(as<std::string>{}, "19:wins0000@thread.tacv2", "19:wins0000@thread.skype");
  rig.say(alice_aad, "hello");
  const auto alice = rig.store.people().find_by_identity({bot::Platform::teams, FakeBotFramework::kTenant, alice_aad});
  REQUIRE(alice);
  bot::Goal goal;
  goal.person = alice->id;
  goal.statement = "Run incident reviews";
  goal.status = bot::GoalStatus::achieved;
  goal = rig.store.goals().add(goal, rig.clock.now());
  bot::Achievement a;
  a.person = alice->id;
  a.goal = goal.id;
  a.text = "Alice reached her goal: run incident reviews";
  a.shared = true;
  a.channel = channel;
  a.shared_at = rig.clock.now();
  a.created_at = rig.clock.now();
  rig.store.achievements().add(a);
  rig.store.outbox().add(bot::Platform::teams, dialogs::achievement_post(channel, a.text, goal.id, {}), rig.clock.now(),
                         alice->id);
  rig.service->kick();

  // A new thread whose first message is the post, with the kudos button.
  rig.run_until([&] {
    for (const auto& c : rig.bf.calls())
      if (c.path == "/v3/conversations" && c.body.value("isGroup", false)) return true;
    return false;
  });
  testing::ConnectorCall created;
  for (const auto& c : rig.bf.calls())
    if (c.path == "/v3/conversations" && c.body.value("isGroup", false)) created = c;
  CHECK(created.body["channelData"]["channel"].value("id", "") == channel);
  CHECK(created.body.value("tenantId", "") == FakeBotFramework::kTenant);
  CHECK_THAT(created.body["activity"].dump(), Contains("Send kudos"));
  const std::string thread = created.conversation;
  const std::string root = thread.substr(thread.find("=") + 1);

  // Bob presses the button in the channel: the post is updated with his name.
  nlohmann::json click = rig.bf.channel_mention(bob_aad, channel, "", "1776390299999");
  click.erase("text");
  click.erase("entities");
  click["conversation"]["id"] = thread;
  click["replyToId"] = root;
  click["value"] = {{"cb_kind", "button"}, {"cb_action", "kudos"}, {"cb_value", "kudos:" + std::to_string(goal.id.value)},
                    {"cb_label", "Send kudos"}};
  REQUIRE(rig.post(click).status == 200);
  rig.run_until([&] {
    for (const auto& c : rig.bf.calls())
      if (c.method == "PUT" && c.conversation == thread && c.activity_id == root &&
          c.body.dump().find("Kudos from") != std::string::npos)
        return true;
    return false;
  });
  CHECK(rig.count("SELECT count(*) FROM kudos") == 1);
  // Alice hears about it in her chat.
  rig.run_until([&] { return TeamsRig::text_of(rig.chat(alice_aad).back()).find("sent you kudos") != std::string::npos; });

  const auto deletes = [&] {
    std::vector<testing::ConnectorCall> out;
    for (const auto& c : rig.bf.calls())
      if (c.method == "DELETE") out.push_back(c);
    return out;
  };
  // bob erasing his data takes down what only he caused (the note to alice), not her post.
  const auto erase = [&](const std::string& aad) {
    const auto said = [&](const char* words) {
      return [&rig, &aad, words] { return TeamsRig::text_of(rig.chat(aad).back()).find(words) != std::string::npos; };
    };
    rig.say(aad, "delete my data");
    rig.run_until(said("to delete everything now"));
    rig.say(aad, "delete");
    rig.run_until(said("deleted"));
  };
  erase(bob_aad);
  rig.run_until([&] { return deletes().size() == 1 && rig.store.outbox().count(bot::OutboxStatus::pending) == 0; });
  REQUIRE(deletes().size() == 1);
  CHECK(deletes()[0].conversation != thread);
  // alice erasing hers takes down the post.
  erase(alice_aad);
  rig.run_until([&] { return deletes().size() == 2; });
  CHECK(deletes()[1].conversation == thread);
  CHECK(deletes()[1].activity_id == root);
  rig.run_until([&] { return rig.store.outbox().count(bot::OutboxStatus::pending) == 0; });
  CHECK(rig.store.outbox().count(bot::OutboxStatus::dead) == 0);
}

TEST_CASE("Teams: uninstalling closes the chat, installing again the same day reopens it without a second greeting",
          "[teams]") {
  TeamsRig rig;
  const std::string aad = "abababab-0000-4000-8000-000000000001";
  REQUIRE(rig.post(rig.bf.install(aad)).status == 200);
  rig.run_until([&] { return !rig.chat(aad).empty(); });
  auto removal = rig.bf.install(aad);
  removal["action"] = "remove";
  removal["id"] = "f:remove-1";
  REQUIRE(rig.post(removal).status == 200);
  CHECK(rig.count("SELECT count(*) FROM conversations WHERE active = 0") == 1);
  auto again = rig.bf.install(aad);
  again["id"] = "f:add-2";
  REQUIRE(rig.post(again).status == 200);
  CHECK(rig.count("SELECT count(*) FROM conversations WHERE active = 0") == 0);
  rig.io.run_for(std::chrono::milliseconds{100});
  CHECK(rig.chat(aad).size() == 1);
}

TEST_CASE("Teams: a new version of the app keeps the chat and greets nobody", "[teams]") {
  TeamsRig rig;
  const std::string aad = "abababab-0000-4000-8000-000000000002";
  REQUIRE(rig.post(rig.bf.install(aad)).status == 200);
  rig.run_until([&] { return !rig.chat(aad).empty(); });
  auto upgrade = rig.bf.install(aad);
  upgrade["action"] = "add-upgrade";
  upgrade["id"] = "f:upgrade-1";
  upgrade["timestamp"] = "2027-01-15T10:00:00.000Z";  // another day than the install
  // Marked closed meanwhile, and its service URL moved: the upgrade brings both up to date.
  rig.store.database().exec("UPDATE conversations SET active = 0, service_url = 'http://127.0.0.1:1/old/'");
  REQUIRE(rig.post(upgrade).status == 200);
  CHECK(rig.count("SELECT count(*) FROM conversations WHERE active = 1 AND person_id IS NOT NULL") == 1);
  CHECK(rig.store.database().execAndGet("SELECT service_url FROM conversations").getString() == rig.bf.service_url());
  // The upgrade's answer came after its commit, and it queued nothing.
  CHECK(rig.count("SELECT count(*) FROM outbox") == 1);
  rig.say(aad, "help");
  CHECK(rig.chat(aad).size() == 2);
}

TEST_CASE("Teams: while the bot's token is still valid, a token endpoint that fails does not stop messages",
          "[teams]") {
  asio::io_context io;
  FakeBotFramework bf{io.get_executor()};
  net::HttpClient http{io.get_executor()};
  net::Metrics metrics;
  auto clock = std::chrono::steady_clock::now();
  adapters::teams::TokenOptions o;
  o.url = bf.token_url();
  o.app_id = FakeBotFramework::kAppId;
  o.app_password = FakeBotFramework::kAppSecret;
  o.now = [&] { return clock; };
  adapters::teams::TokenClient tokens{io.get_executor(), http, metrics, o};
  const auto token = [&] {
    std::optional<adapters::teams::TokenResult> out;
    asio::co_spawn(io, tokens.token(), [&](std::exception_ptr, adapters::teams::TokenResult r) { out = r; });
    while (!out) io.run_one();
    return *out;
  };
  const auto first = token().token;
  REQUIRE(first);
  CHECK(bf.token_requests() == 1);

  // Past the refresh point (5 minutes before expiry), with Entra down.
  bf.fail_token_endpoint(true);
  clock += std::chrono::seconds{3599 - 120};
  CHECK(token().token == first);
  CHECK(bf.token_requests() == 2);
  CHECK(token().token == first);  // not asked again at once
  CHECK(bf.token_requests() == 2);
  clock += std::chrono::seconds{31};
  CHECK(token().token == first);
  CHECK(bf.token_requests() == 3);

  // Expired: nothing to fall back on.
  clock += std::chrono::seconds{120};
  const auto none = token();
  CHECK_FALSE(none.token);
  CHECK(none.transient);
  bf.fail_token_endpoint(false);
  const auto fresh = token().token;
  REQUIRE(fresh);
  CHECK(fresh != first);
}

TEST_CASE("Teams: a channel Teams does not know fails the post with what to check in the config", "[teams]") {
  TeamsRig rig;
  const std::string channel = "19:deleted0000@thread.tacv2";
  rig.bf.fail_next(404, "ConversationNotFound");
  rig.store.outbox().add(bot::Platform::teams,
                         bot::Message::text(bot::Recipient{bot::RecipientKind::channel, {}, channel, {}}, "Well done!"),
                         rig.clock.now());
  rig.service->kick();
  rig.run_until([&] { return rig.count("SELECT count(*) FROM outbox WHERE status = 'dead'") == 1; });
  const std::string error = rig.store.database().execAndGet("SELECT last_error FROM outbox").getString();
  CHECK_THAT(error, Contains("check sharing.team_channels") && Contains(channel));
}
