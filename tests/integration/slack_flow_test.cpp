// Slack end to end: the real SlackService, engine and SQLite file against the in-tree
// fake of Slack on 127.0.0.1 (Web API + Socket Mode, or signed Events API requests).
// Everything runs on one io_context that the test drives until what it waits for has
// happened; nothing sleeps.
#include <catch2/catch.hpp>

#include <algorithm>
#include <string>
#include <vector>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>

#include "adapters/net/http_client.hpp"
#include "adapters/net/http_server.hpp"
#include "adapters/slack/signature.hpp"
#include "adapters/slack/slack_service.hpp"
#include "dialogs/coach_conversation.hpp"
#include "storage/sqlite_store.hpp"
#include "tests/fakes/fake_slack.hpp"
#include "tests/support/open_calendar.hpp"
#include "tests/support/temp_dir.hpp"

using Catch::Matchers::Contains;
namespace asio = boost::asio;

namespace {

constexpr const char* kSecret = "8f742231b10e8888abcd99yyyzzz85a5";

struct SlackRig {
  // Without wait_ready, nothing runs until the test drives the io_context.
  explicit SlackRig(bool socket_mode = true, bool wait_ready = true, std::size_t connections = 1,
                    std::chrono::milliseconds profile_wait = std::chrono::milliseconds{1500},
                    std::chrono::milliseconds drain = std::chrono::milliseconds{50}) {
    adapters::slack::SlackOptions& o = options;
    o.socket.connections = connections;
    o.socket.drain = drain;
    o.steady_now = [this] { return std::chrono::steady_clock::now() + later; };
    o.profile_wait = profile_wait;
    o.socket.backoff_initial = std::chrono::milliseconds{50};
    o.api_url = slack.api_url();
    o.bot_token = testing::FakeSlack::kBotToken;
    o.app_token = testing::FakeSlack::kAppToken;
    o.signing_secret = kSecret;
    o.socket_mode = socket_mode;
    start();
    if (wait_ready) run_until([&] { return service->ready(); });
  }
  // A new service on the same database, as after a restart. The one before must have
  // stopped; it is kept until the rig goes, with whatever of its work is still settling.
  void start() {
    if (service) retired.push_back(std::move(service));
    service = std::make_unique<adapters::slack::SlackService>(io.get_executor(), store, engine, sender, clock, http,
                                                              metrics, options);
    asio::co_spawn(io, service->run(), [this](std::exception_ptr, std::string why) { stopped = why; });
  }
  ~SlackRig() {
    service->stop();
    io.run_for(std::chrono::milliseconds{200});
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

  // The texts posted to a channel (a DM is "D" + the user id's suffix), in order.
  std::vector<std::string> posts(const std::string& channel) const {
    std::vector<std::string> out;
    for (const auto& c : slack.calls("chat.postMessage")) {
      if (c.rate_limited || c.failed) continue;
      std::string ch = c.args.value("channel", "");
      if (ch.starts_with('U')) ch = "D" + ch.substr(1);
      if (ch == channel) out.push_back(c.args.value("text", ""));
    }
    return out;
  }
  // Sends a DM and waits until the bot answered it.
  std::string say(const std::string& user, const std::string& text) {
    const std::string channel = "D" + user.substr(1);
    const auto before = posts(channel).size();
    const std::string env = slack.send_envelope("events_api", testing::FakeSlack::dm(user, text, "Ev" + std::to_string(++event)));
    run_until([&] { return posts(channel).size() > before && slack.acked(env); });
    return posts(channel).back();
  }
  int count(const std::string& sql) { return store.database().execAndGet(sql).getInt(); }

  testing::TempDir dir;
  asio::io_context io;
  testing::FakeSlack slack{io.get_executor()};
  storage::SqliteStore store{{dir.file("coach.db")}};
  bot::SystemClock clock;
  dialogs::CoachConversation conversation;
  bot::Engine engine{store, conversation, clock,
                     bot::EngineSettings{bot::Defaults{"Europe/London", 1, 540}, std::chrono::hours{168}, {}, {}, testing::always_open_calendar(), {}, false}};
  bot::OutboxSender sender{store, clock, 8};
  net::Metrics metrics;
  net::HttpClient http{io.get_executor()};
  adapters::slack::SlackOptions options;
  std::vector<std::unique_ptr<adapters::slack::SlackService>> retired;
  std::unique_ptr<adapters::slack::SlackService> service;
  std::optional<std::string> stopped;
  int event = 0;
  std::chrono::steady_clock::duration later{};  // how far the Web API's clock is ahead (past a Retry-After)
};

// The rig's service behind an HTTP server on loopback, as Slack's Events API requests
// reach it.
struct EventsApi {
  explicit EventsApi(SlackRig& r)
      : rig(r), server{r.io.get_executor(), net::HttpServerOptions{},
                       [this](net::ServerRequest q) { return rig.service->handle_http(std::move(q)); }} {
    server.start();
  }
  std::string now() const {
    return std::to_string(
        std::chrono::duration_cast<std::chrono::seconds>(rig.clock.now().time_since_epoch()).count());
  }
  net::HttpResponse post(const std::string& path, std::string body, std::string signature, std::string ts,
                         std::string type = "application/json") {
    net::HttpRequest req;
    req.url = "http://127.0.0.1:" + std::to_string(server.port()) + path;
    req.headers = {{"Content-Type", std::move(type)},
                   {"X-Slack-Request-Timestamp", ts},
                   {"X-Slack-Signature", std::move(signature)}};
    req.body = std::move(body);
    std::optional<net::HttpResponse> out;
    asio::co_spawn(rig.io, rig.http.send(std::move(req)), [&](std::exception_ptr e, net::HttpResponse r) {
      if (!e) out = std::move(r);
    });
    rig.run_until([&] { return out.has_value(); });
    return *out;
  }
  // Signed with the rig's secret, now.
  net::HttpResponse signed_post(const std::string& path, const std::string& body, std::string type = "application/json") {
    const std::string ts = now();
    return post(path, body, adapters::slack::sign(kSecret, ts, body), ts, std::move(type));
  }

  SlackRig& rig;
  net::HttpServer server;
};

}  // namespace

TEST_CASE("Slack: a new person is greeted, named and zoned from users.info, and acked after the commit", "[slack]") {
  SlackRig rig;
  rig.slack.user_time_zones["U1"] = "America/New_York";
  const std::string env = rig.slack.send_envelope("events_api", testing::FakeSlack::dm("U1", "hello", "Ev-hello"));
  rig.run_until([&] { return rig.slack.acked(env); });
  // The ack came after the commit: the person is already stored.
  CHECK(rig.count("SELECT count(*) FROM people") == 1);
  CHECK(rig.store.database().execAndGet("SELECT display_name FROM people").getString() == "user-U1");
  CHECK(rig.store.database().execAndGet("SELECT time_zone FROM people").getString() == "America/New_York");
  rig.run_until([&] { return !rig.posts("D1").empty(); });
  CHECK_THAT(rig.posts("D1").front(), Contains("Welcome") || Contains("welcome") || Contains("Hi"));
  CHECK(rig.slack.calls("users.info").size() == 1);
  rig.say("U1", "help");
  CHECK(rig.slack.calls("users.info").size() == 1);  // only on first contact
}

TEST_CASE("Slack: a users.info that was rate-limited is asked again with the person's next message", "[slack]") {
  SlackRig rig;
  rig.slack.user_time_zones["U1"] = "America/New_York";
  rig.slack.rate_limit("users.info", 1);
  rig.say("U1", "hello");  // answered all the same, with the defaults
  CHECK(rig.store.database().execAndGet("SELECT display_name FROM people").getString() == "U1");
  CHECK(rig.store.database().execAndGet("SELECT time_zone FROM people").getString() == "Europe/London");
  rig.say("U1", "help");  // within the Retry-After: Slack is not asked
  CHECK(rig.slack.calls("users.info").size() == 1);
  rig.later += std::chrono::seconds{2};  // past the Retry-After
  rig.say("U1", "help");
  CHECK(rig.slack.calls("users.info").size() == 2);
  CHECK(rig.store.database().execAndGet("SELECT display_name FROM people").getString() == "user-U1");
  CHECK(rig.store.database().execAndGet("SELECT time_zone FROM people").getString() == "America/New_York");
  rig.say("U1", "help");
  CHECK(rig.slack.calls("users.info").size() == 2);
}

TEST_CASE("Slack: a first slash command without users.info keeps the handle and zone only until the profile comes",
          "[slack]") {
  SlackRig rig;
  rig.slack.user_time_zones["U1"] = "America/New_York";
  rig.slack.rate_limit("users.info", 1);
  const std::string env = rig.slack.send_envelope(
      "slash_commands", {{"command", "/coach"}, {"text", "help"}, {"user_id", "U1"}, {"user_name", "roadrunner"},
                         {"team_id", "T1"}, {"channel_id", "C1"}, {"trigger_id", "trig-first"}});
  rig.run_until([&] { return rig.slack.acked(env); });
  CHECK(rig.store.database().execAndGet("SELECT display_name FROM people").getString() == "roadrunner");
  CHECK(rig.store.database().execAndGet("SELECT time_zone FROM people").getString() == "Europe/London");
  rig.later += std::chrono::seconds{2};  // past the Retry-After
  rig.say("U1", "help");
  CHECK(rig.slack.calls("users.info").size() == 2);
  CHECK(rig.store.database().execAndGet("SELECT display_name FROM people").getString() == "user-U1");
  CHECK(rig.store.database().execAndGet("SELECT time_zone FROM people").getString() == "America/New_York");
}

TEST_CASE("Slack: someone who erased their data and comes back is a newcomer, named from users.info again",
          "[slack]") {
  SlackRig rig;
  rig.say("U1", "hello");
  CHECK(rig.slack.calls("users.info").size() == 1);
  rig.say("U1", "delete my data");
  SECTION("typed") { rig.say("U1", "delete"); }
  SECTION("clicked, which also takes the buttons off the question") {
    const std::string ts = rig.slack.history("D1").back()["ts"];
    const std::string click = rig.slack.send_envelope(
        "interactive", testing::FakeSlack::click("U1", "D1", ts, "q.confirm#0", "delete", "trig-delete"));
    rig.run_until([&] { return rig.slack.acked(click) && rig.count("SELECT count(*) FROM people") == 0; });
    rig.run_until([&] { return rig.store.outbox().count(bot::OutboxStatus::pending) == 0; });
    CHECK_THAT(rig.slack.history("D1").back().value("text", ""), Contains("deleted"));
  }
  CHECK(rig.count("SELECT count(*) FROM people") == 0);
  rig.say("U1", "hello");
  CHECK(rig.slack.calls("users.info").size() == 2);
  CHECK(rig.store.database().execAndGet("SELECT display_name FROM people").getString() == "user-U1");
}

TEST_CASE("Slack: after someone deletes their data, a newcomer given their freed id is written to, not them",
          "[slack]") {
  SlackRig rig;
  rig.say("U1", "hello");
  const std::string opened = rig.slack.send_envelope("events_api", testing::FakeSlack::home_opened("U1", "Ev-h"));
  rig.run_until([&] { return rig.slack.acked(opened) && !rig.slack.calls("views.publish").empty(); });
  rig.say("U1", "delete my data");
  CHECK_THAT(rig.say("U1", "delete"), Contains("deleted"));
  rig.run_until([&] { return rig.store.outbox().count(bot::OutboxStatus::pending) == 0; });
  // Their Home tab no longer shows what was deleted, and the outbox keeps none of it.
  const auto last_page = [&](const std::string& user) {
    std::string page;
    for (const auto& c : rig.slack.calls("views.publish"))
      if (c.args.value("user_id", "") == user) page = c.args["view"].dump();
    return page;
  };
  CHECK_THAT(last_page("U1"), Contains("nothing to show here") && !Contains("user-U1"));
  CHECK(rig.count("SELECT count(*) FROM outbox WHERE message LIKE '%user-U1%'") == 0);
  const auto to_u1 = rig.posts("D1").size();
  const auto pages = rig.slack.calls("views.publish").size();
  // SQLite gives the next person the highest id plus one: the id U1 had.
  CHECK_THAT(rig.say("U2", "hello"), Contains("Coachbot"));
  rig.run_until([&] { return rig.store.outbox().count(bot::OutboxStatus::pending) == 0; });
  CHECK(rig.posts("D1").size() == to_u1);
  for (std::size_t i = pages; i < rig.slack.calls("views.publish").size(); ++i)
    CHECK(rig.slack.calls("views.publish")[i].args.value("user_id", "") != "U1");
}

TEST_CASE("Slack: deleting one's data also deletes what others still see of it, in their DMs and in channels",
          "[slack]") {
  SlackRig rig;
  for (const char* line : {"hello", "keep", "1", "keep"}) rig.say("U1", line);
  CHECK_THAT(rig.say("U1", "<@U2>"), Contains("Your manager"));
  rig.run_until([&] { return !rig.posts("D2").empty(); });
  CHECK_THAT(rig.slack.history("D2").back().value("text", ""), Contains("named you as their manager"));
  // An achievement post in the team channel, as sharing queues it.
  const auto alice = rig.store.people().find_by_identity({bot::Platform::slack, "T1", "U1"});
  REQUIRE(alice);
  const auto post = rig.store.outbox().add(
      bot::Platform::slack, bot::Message::text({bot::RecipientKind::channel, {}, "CTEAM", {}}, "user-U1 reached a goal"),
      rig.clock.now(), alice->id);
  rig.service->kick();
  rig.run_until([&] { return rig.store.outbox().find(post)->platform_ref.has_value(); });
  REQUIRE(rig.slack.history("CTEAM").size() == 1);
  const std::size_t own_dm = rig.slack.history("D1").size();

  rig.say("U1", "delete my data");
  CHECK_THAT(rig.say("U1", "delete"), Contains("deleted"));
  rig.run_until([&] { return rig.slack.calls("chat.delete").size() == 2; });
  CHECK(rig.slack.history("CTEAM").empty());
  for (const auto& m : rig.slack.history("D2")) CHECK_THAT(m.value("text", ""), !Contains("user-U1"));
  // The person's own DM keeps what they saw, and the goodbye.
  CHECK(rig.slack.history("D1").size() == own_dm + 2);
  rig.run_until([&] { return rig.store.outbox().count(bot::OutboxStatus::pending) == 0; });
  CHECK(rig.store.outbox().count(bot::OutboxStatus::dead) == 0);
  // Nothing of theirs is left in the removals either.
  CHECK(rig.count("SELECT count(*) FROM outbox WHERE message LIKE '%user-U1%'") == 0);
}

TEST_CASE("Slack: a channel post on its way while its author deletes their data is deleted once it appears",
          "[slack]") {
  SlackRig rig;
  rig.say("U1", "hello");
  const auto alice = rig.store.people().find_by_identity({bot::Platform::slack, "T1", "U1"});
  REQUIRE(alice);
  rig.slack.hold("chat.postMessage");
  rig.store.outbox().add(bot::Platform::slack,
                         bot::Message::text({bot::RecipientKind::channel, {}, "CTEAM", {}}, "user-U1 reached a goal"),
                         rig.clock.now(), alice->id);
  rig.service->kick();
  rig.run_until([&] { return rig.slack.waiting("chat.postMessage") == 1; });
  const auto handle = [&](const char* text) {
    bot::Event e;
    e.from = {bot::Platform::slack, "T1", "U1"};
    e.conversation = "D1";
    e.text = text;
    REQUIRE(rig.engine.handle(e).status == bot::Handled::done);
    rig.service->kick();
  };
  // The question in their own DM is on its way too when the erasure commits.
  handle("delete my data");
  rig.run_until([&] { return rig.slack.waiting("chat.postMessage") == 2; });
  handle("delete");
  REQUIRE(rig.count("SELECT count(*) FROM people") == 0);
  rig.slack.release("chat.postMessage");
  rig.run_until([&] { return rig.slack.calls("chat.delete").size() == 1; });
  CHECK(rig.slack.history("CTEAM").empty());
  rig.run_until([&] { return rig.store.outbox().count(bot::OutboxStatus::pending) == 0; });
  CHECK(rig.store.outbox().count(bot::OutboxStatus::dead) == 0);
  CHECK(rig.count("SELECT count(*) FROM outbox WHERE message LIKE '%user-U1%'") == 0);
  // Their own DM keeps what reached it: only what others could see was taken back.
  CHECK(rig.slack.calls("chat.delete").size() == 1);
  bool asked = false;
  for (const auto& m : rig.slack.history("D1")) asked = asked || m.value("text", "").find("This deletes") != std::string::npos;
  CHECK(asked);
}

TEST_CASE("Slack: a users.info that does not answer in time leaves the defaults until its answer comes",
          "[slack]") {
  SlackRig rig{true, true, 1, std::chrono::milliseconds{100}};
  rig.slack.user_time_zones["U1"] = "America/New_York";
  rig.slack.hold("users.info");
  // Answered and acked with the defaults, without waiting for Slack's profile.
  CHECK_THAT(rig.say("U1", "hello"), Contains("Welcome") || Contains("welcome") || Contains("Hi"));
  CHECK(rig.store.database().execAndGet("SELECT display_name FROM people").getString() == "U1");
  CHECK(rig.store.database().execAndGet("SELECT time_zone FROM people").getString() == "Europe/London");
  // The late answer is kept for the next message, which needs no second call.
  rig.slack.release("users.info");
  rig.run_until([&] { return rig.service->profile_calls() == 0; });
  CHECK(rig.store.database().execAndGet("SELECT display_name FROM people").getString() == "U1");
  rig.say("U1", "help");
  CHECK(rig.slack.calls("users.info").size() == 1);
  CHECK(rig.store.database().execAndGet("SELECT display_name FROM people").getString() == "user-U1");
  CHECK(rig.store.database().execAndGet("SELECT time_zone FROM people").getString() == "America/New_York");
}

TEST_CASE("Slack: someone known only by their id (named as a manager) gets their name with their first message",
          "[slack]") {
  SlackRig rig;
  bot::Person bob;
  bob.display_name = "U2";  // as an @-mention in the manager question leaves them
  bob.prefs.time_zone = "Europe/London";
  rig.store.people().create(bob, {bot::Platform::slack, "T1", "U2"});
  rig.say("U2", "hello");
  CHECK(rig.slack.calls("users.info").size() == 1);
  CHECK(rig.store.database().execAndGet("SELECT display_name FROM people").getString() == "user-U2");
  rig.say("U2", "help");
  CHECK(rig.slack.calls("users.info").size() == 1);
}

TEST_CASE("Slack: a check-in typed in the DM is saved, one reply per message", "[slack]") {
  SlackRig rig;
  CHECK_THAT(rig.say("U1", "checkin"), Contains("%") || Contains("progress") || Contains("learn"));
  std::string last;
  for (const char* answer : {"72", "Async Rust", "none", "More practice", "skip", "skip"}) {
    last = rig.say("U1", answer);
    if (last.find("Saved your check-in") != std::string::npos) break;
  }
  CHECK_THAT(last, Contains("Saved your check-in"));
  CHECK(rig.count("SELECT count(*) FROM checkins") == 1);
  // Exactly one post per message the person sent.
  CHECK(rig.posts("D1").size() == static_cast<std::size_t>(rig.event));
}

TEST_CASE("Slack: a burst of envelopes on the socket is all acked and each gets one reply", "[slack]") {
  SlackRig rig;
  // Written back to back, so the bot finds them waiting together on the socket; more
  // of them than one batch holds.
  constexpr int kPeople = 300;
  std::vector<std::string> envelopes;
  for (int i = 0; i < kPeople; ++i)
    envelopes.push_back(rig.slack.send_envelope(
        "events_api", testing::FakeSlack::dm("U" + std::to_string(1000 + i), "help", "Ev-burst-" + std::to_string(i))));
  // 300 new people, each with a users.info first: seconds in a sanitizer build on a busy
  // machine, so the hang guard is wider here.
  constexpr std::chrono::milliseconds kGuard{40000};
  rig.run_until([&] {
    return std::all_of(envelopes.begin(), envelopes.end(), [&](const std::string& e) { return rig.slack.acked(e); });
  }, kGuard);
  rig.run_until([&] { return rig.slack.calls("chat.postMessage").size() >= static_cast<std::size_t>(kPeople); },
                kGuard);
  CHECK(rig.count("SELECT count(*) FROM people") == kPeople);
  for (int i = 0; i < kPeople; i += 37) CHECK(rig.posts("D" + std::to_string(1000 + i)).size() == 1);
  CHECK(rig.slack.calls("chat.postMessage").size() == static_cast<std::size_t>(kPeople));
}

TEST_CASE("Slack: a redelivered envelope is acked again and changes nothing", "[slack]") {
  SlackRig rig;
  const auto payload = testing::FakeSlack::dm("U1", "checkin", "Ev-same");
  const std::string first = rig.slack.send_envelope("events_api", payload);
  rig.run_until([&] { return rig.slack.acked(first) && !rig.posts("D1").empty(); });
  const std::string again = rig.slack.send_envelope("events_api", payload, 1);
  rig.run_until([&] { return rig.slack.acked(again); });
  rig.io.run_for(std::chrono::milliseconds{100});
  CHECK(rig.posts("D1").size() == 1);
  CHECK(rig.metrics.value("coachbot_events_duplicate_total") == 1);
  CHECK(rig.count("SELECT count(*) FROM dialog_sessions") == 1);
}

TEST_CASE("Slack: a frame the bot cannot make sense of leaves the socket working", "[slack]") {
  SlackRig rig;
  // nlohmann's value() throws on a type that is not a string; that must not end the
  // socket's read loop (which would leave a socket nobody reads, counted as open).
  rig.slack.send_raw(R"({"type": 5, "envelope_id": "odd-1", "payload": []})");
  rig.slack.send_raw(R"({"type": "events_api", "envelope_id": 7, "payload": {"event": "x"}})");
  CHECK_FALSE(rig.say("U9", "hello").empty());
  CHECK(rig.slack.connections_opened() == 1);
  // Nulls where numbers or flags belong: the envelope is still handled and acked.
  const nlohmann::json nulls{{"type", "events_api"},
                             {"envelope_id", "odd-2"},
                             {"retry_attempt", nullptr},
                             {"retry_reason", nullptr},
                             {"accepts_response_payload", nullptr},
                             {"payload", testing::FakeSlack::dm("U9", "help", "Ev-nulls")}};
  rig.slack.send_raw(nulls.dump());
  rig.run_until([&] { return rig.slack.acked("odd-2") && rig.posts("D9").size() == 2; });
}

TEST_CASE("Slack: the bot's own messages and edits are acked and ignored", "[slack]") {
  SlackRig rig;
  auto own = testing::FakeSlack::dm("UCOACHBOT", "Saved your check-in", "Ev-own");
  own["event"]["bot_id"] = "BCOACHBOT";
  const std::string a = rig.slack.send_envelope("events_api", own);
  auto edited = testing::FakeSlack::dm("U1", "checkin", "Ev-edit");
  edited["event"]["subtype"] = "message_changed";
  const std::string b = rig.slack.send_envelope("events_api", edited);
  rig.run_until([&] { return rig.slack.acked(a) && rig.slack.acked(b); });
  CHECK(rig.count("SELECT count(*) FROM people") == 0);
  CHECK(rig.slack.calls("chat.postMessage").empty());
}

TEST_CASE("Slack: the socket connects while auth.test is out, and what arrives meanwhile waits for it", "[slack]") {
  SlackRig rig{true, false};
  rig.slack.hold("auth.test");
  rig.run_until([&] { return rig.slack.open_sockets() == 1; });
  auto own = testing::FakeSlack::dm("UCOACHBOT", "Saved your check-in", "Ev-own");
  own["event"]["bot_id"] = "BCOACHBOT";
  const std::string mine = rig.slack.send_envelope("events_api", own);
  const std::string theirs = rig.slack.send_envelope("events_api", testing::FakeSlack::dm("U1", "checkin", "Ev-1"));
  CHECK_FALSE(rig.service->ready());  // connected, but not signed in

  rig.slack.release("auth.test");
  rig.run_until([&] { return rig.slack.acked(mine) && rig.slack.acked(theirs) && !rig.posts("D1").empty(); });
  CHECK(rig.service->ready());
  // Our own message was recognised as ours (auth.test told us who we are) and ignored;
  // nothing about the person was asked before auth.test answered.
  CHECK(rig.count("SELECT count(*) FROM people") == 1);
  CHECK(rig.posts("D1").size() == 1);
  std::vector<std::string> order;
  for (const auto& c : rig.slack.calls()) order.push_back(c.method);
  const auto signed_in = std::find(order.begin(), order.end(), "auth.test");
  CHECK(std::find(order.begin(), signed_in, "users.info") == signed_in);
  CHECK(std::find(order.begin(), signed_in, "chat.postMessage") == signed_in);
}

TEST_CASE("Slack: a revoked bot token stops Slack with the reason, and the socket is closed", "[slack]") {
  SlackRig rig{true, false};
  rig.slack.revoke_bot_token();
  rig.run_until([&] { return rig.stopped.has_value() && rig.slack.open_sockets() == 0; });
  CHECK_THAT(*rig.stopped, Contains("invalid_auth") && Contains("SLACK_BOT_TOKEN"));
  CHECK_FALSE(rig.service->ready());
  CHECK(rig.slack.calls("auth.test").size() == 1);  // refused for good: not retried
}

TEST_CASE("Slack: opening the app again publishes the Home tab and posts nothing in the DM", "[slack]") {
  SlackRig rig;
  rig.say("U1", "hi");
  rig.say("U1", "cancel");  // the welcome's setup
  const auto open_home = [&](const std::string& id) {
    const auto publishes = rig.slack.calls("views.publish").size();
    const std::string env = rig.slack.send_envelope("events_api", testing::FakeSlack::home_opened("U1", id));
    rig.run_until([&] { return rig.slack.acked(env) && rig.slack.calls("views.publish").size() > publishes; });
    rig.run_until([&] { return rig.store.outbox().count(bot::OutboxStatus::pending) == 0; });
  };
  const auto posts = rig.posts("D1").size();
  open_home("Ev-o1");
  open_home("Ev-o2");
  CHECK(rig.posts("D1").size() == posts);
  // Nor in the middle of a check-in: its question is in the DM already.
  rig.say("U1", "checkin");
  open_home("Ev-o3");
  CHECK(rig.posts("D1").size() == posts + 1);
  CHECK_THAT(rig.say("U1", "40"), !Contains("number"));
}

TEST_CASE("Slack: a manager who never wrote to the bot is shown as a mention, not as their user id", "[slack]") {
  SlackRig rig;
  for (const char* line : {"hello", "keep", "1", "keep"}) rig.say("U1", line);
  // The bot itself is nobody's manager (auth.test named it UCOACHBOT).
  CHECK_THAT(rig.say("U1", "<@UCOACHBOT>"), Contains("That's me, your coach"));
  CHECK_THAT(rig.say("U1", "<@U2>"), Contains("Your manager: *<@U2>*"));
  const std::string settings = rig.say("U1", "settings");
  CHECK_THAT(settings, Contains("<@U2>"));
  CHECK_THAT(settings, !Contains(": U2"));
}

TEST_CASE("Slack: a button of an earlier question is refused and its message is not marked as chosen", "[slack]") {
  SlackRig rig;
  rig.say("U1", "hello");  // the welcome's setup: time zone first
  CHECK_THAT(rig.say("U1", "keep"), Contains("day"));
  // The check-in day question's message and its first button.
  const std::string ts = rig.slack.history("D1").back().value("ts", "");
  const nlohmann::json blocks = rig.slack.calls("chat.postMessage").back().args.at("blocks");
  std::string action, value;
  for (const auto& block : blocks)
    if (block.value("type", "") == "actions") {
      action = block["elements"][0].value("action_id", "");
      value = block["elements"][0].value("value", "");
    }
  INFO(blocks.dump());
  REQUIRE_FALSE(action.empty());
  rig.say("U1", "Friday");  // answered by text: the next question is open
  rig.run_until([&] { return rig.store.outbox().count(bot::OutboxStatus::pending) == 0; });
  const auto updates = rig.slack.calls("chat.update").size();
  const std::string env = rig.slack.send_envelope(
      "interactive", testing::FakeSlack::click("U1", "D1", ts, action, value, "trig-old"));
  rig.run_until([&] {
    return rig.slack.acked(env) && rig.posts("D1").back().find("earlier question") != std::string::npos;
  });
  rig.run_until([&] { return rig.store.outbox().count(bot::OutboxStatus::pending) == 0; });
  CHECK(rig.slack.calls("chat.update").size() == updates);
}

TEST_CASE("Slack: App Home shows the plan and starts a check-in as a modal", "[slack]") {
  SlackRig rig;
  rig.say("U1", "hi");
  const std::string env = rig.slack.send_envelope("events_api", testing::FakeSlack::home_opened("U1", "Ev-home"));
  rig.run_until([&] { return rig.slack.acked(env) && !rig.slack.calls("views.publish").empty(); });
  const auto publish = rig.slack.calls("views.publish").back();
  CHECK(publish.args.value("user_id", "") == "U1");
  CHECK(publish.args["view"].value("type", "") == "home");
  CHECK_THAT(publish.args["view"].dump(), Contains("Start check-in"));

  // The Home tab's button: a click with a trigger id opens the check-in as a modal.
  const std::string click =
      rig.slack.send_envelope("interactive", testing::FakeSlack::home_click("U1", "command#0", "checkin", "trig-1"));
  rig.run_until([&] { return rig.slack.acked(click) && !rig.slack.calls("views.open").empty(); });
  const auto open = rig.slack.calls("views.open").back();
  CHECK(open.args.value("trigger_id", "") == "trig-1");
  const nlohmann::json view = open.args["view"];
  REQUIRE(view.value("type", "") == "modal");
  REQUIRE(view.contains("submit"));

  // Fill every input: numbers get 150 first (refused inline), then valid answers.
  auto values_with = [&](const std::string& number) {
    nlohmann::json values = nlohmann::json::object();
    for (const auto& block : view["blocks"]) {
      if (block.value("type", "") != "input") continue;
      const std::string id = block.value("block_id", "");
      const auto& el = block["element"];
      const std::string type = el.value("type", "");
      nlohmann::json v{{"type", type}};
      if (type == "number_input") v["value"] = number;
      else if (type == "static_select" || type == "radio_buttons") v["selected_option"] = el["options"][0];
      else v["value"] = "Learned about " + id;
      values[id][el.value("action_id", "")] = v;
    }
    return values;
  };
  const std::string bad = rig.slack.send_envelope("interactive", testing::FakeSlack::submit("U1", view, values_with("150")));
  rig.run_until([&] { return rig.slack.acked(bad); });
  nlohmann::json ack;
  for (const auto& [id, payload] : rig.slack.acks())
    if (id == bad) ack = payload;
  if (view.dump().find("number_input") != std::string::npos) {
    CHECK(ack.value("response_action", "") == "errors");
    CHECK(rig.count("SELECT count(*) FROM checkins") == 0);
  }
  const std::string good = rig.slack.send_envelope("interactive", testing::FakeSlack::submit("U1", view, values_with("80")));
  rig.run_until([&] { return rig.slack.acked(good) && rig.count("SELECT count(*) FROM checkins") == 1; });
  rig.run_until([&] {
    const auto p = rig.posts("D1");
    return !p.empty() && p.back().find("Saved your check-in") != std::string::npos;
  });
}

TEST_CASE("Slack: a manager approves a plan with the DM button, the button cannot be clicked twice", "[slack]") {
  SlackRig rig;
  const bot::Instant now = rig.clock.now();
  bot::Person bob;
  bob.display_name = "bob";
  bob.prefs.time_zone = "Europe/Berlin";
  bob = rig.store.people().create(bob, bot::Identity{bot::Platform::slack, "T1", "UBOB"});
  bot::Person alice;
  alice.display_name = "alice";
  alice.prefs.time_zone = "Europe/Berlin";
  alice.manager = bob.id;
  alice = rig.store.people().create(alice, bot::Identity{bot::Platform::slack, "T1", "UALICE"});
  bot::Plan plan;
  plan.person = alice.id;
  plan.period_start = "2026-01-01";
  plan.period_end = "2028-01-01";
  plan.aspiration_short = "Lead the data team";
  plan.status = bot::PlanStatus::submitted;
  plan = rig.store.plans().save(plan, now);

  const std::string value = "approve:" + std::to_string(plan.id.value);
  // Both had opened their Home tab once: it shows the plan waiting.
  for (const char* user : {"UALICE", "UBOB"}) {
    const std::string opened =
        rig.slack.send_envelope("events_api", testing::FakeSlack::home_opened(user, std::string{"Ev-home-"} + user));
    rig.run_until([&] { return rig.slack.acked(opened); });
  }
  const auto home_of = [&](const std::string& user) {
    rig.run_until([&] { return rig.store.outbox().count(bot::OutboxStatus::pending) == 0; });
    std::string page;
    for (const auto& c : rig.slack.calls("views.publish"))
      if (c.args.value("user_id", "") == user) page = c.args["view"].dump();
    return page;
  };
  CHECK_THAT(home_of("UALICE"), Contains("waiting for your manager"));
  CHECK_THAT(home_of("UBOB"), Contains("1 plan waits for your review"));
  SECTION("from the review request, which then says what was decided") {
    // The review request as the plan dialog sends it.
    bot::Message request = bot::Message::text(bot::Recipient::dm(bob.id), "alice sent you their learning plan.");
    request.buttons = {{"plan_review", "Approve", value, bot::ButtonStyle::primary}};
    const auto request_id = rig.store.outbox().add(bot::Platform::slack, request, now);
    rig.service->kick();
    rig.run_until([&] { return rig.store.outbox().find(request_id)->platform_ref.has_value(); });
    const std::string ts = rig.slack.history("DBOB").back()["ts"];
    const std::string env = rig.slack.send_envelope(
        "interactive", testing::FakeSlack::click("UBOB", "DBOB", ts, "plan_review#0", value, "trig-2"));
    rig.run_until([&] {
      return rig.slack.acked(env) && !rig.posts("DALICE").empty() &&
             rig.posts("DALICE").back().find("approved") != std::string::npos;
    });
    CHECK(rig.store.plans().find(plan.id)->status == bot::PlanStatus::approved);
    CHECK_THAT(rig.posts("DALICE").back(), Contains("approved"));
    rig.run_until([&] { return rig.store.outbox().count(bot::OutboxStatus::pending) == 0; });
    // One edit of the request: what was chosen, without buttons; the decision is the
    // newest message in bob's DM.
    const auto updates = rig.slack.calls("chat.update");
    REQUIRE(updates.size() == 1);
    CHECK(updates.front().args.value("ts", "") == ts);
    CHECK_THAT(updates.front().args.value("text", ""), Contains("✓ ") && !Contains("You approved"));
    CHECK(updates.front().args["blocks"].dump().find("\"actions\"") == std::string::npos);
    CHECK_THAT(rig.slack.history("DBOB").back().value("text", ""), Contains("You approved"));
    CHECK(rig.slack.history("DBOB").back().value("ts", "") != ts);
    // Both Home tabs follow: the learner's plan is approved, the manager has none to review.
    CHECK_THAT(home_of("UALICE"), !Contains("waiting for your manager"));
    CHECK_THAT(home_of("UBOB"), !Contains("for your review"));
  }
  SECTION("alice naming another manager takes the plan off bob's count") {
    bot::Person carol;
    carol.display_name = "carol";
    carol.prefs.time_zone = "Europe/Berlin";
    rig.store.people().create(carol, bot::Identity{bot::Platform::slack, "T1", "UCAROL"});
    for (const char* line : {"settings", "manager"}) rig.say("UALICE", line);
    // carol is named as a mention, which Slack shows as her name.
    CHECK_THAT(rig.say("UALICE", "<@UCAROL>"),
               Contains("Saved: your manager is <@UCAROL>.") && Contains("now goes to <@UCAROL> instead"));
    CHECK_THAT(home_of("UBOB"), !Contains("for your review"));
  }
  SECTION("alice deleting her data takes the plan off bob's count") {
    rig.say("UALICE", "delete my data");
    CHECK_THAT(rig.say("UALICE", "delete"), Contains("deleted"));
    CHECK_THAT(home_of("UBOB"), !Contains("for your review"));
  }
  SECTION("bob deleting his data leaves alice to approve her plan herself") {
    rig.say("UBOB", "delete my data");
    CHECK_THAT(rig.say("UBOB", "delete"), Contains("deleted"));
    // Alice opened her Home tab before: the welcome went to her then.
    rig.run_until([&] {
      const auto posts = rig.posts("DALICE");
      return !posts.empty() && posts.back().find("Your manager is no longer in Coachbot") != std::string::npos;
    });
    CHECK_THAT(home_of("UALICE"), Contains("you have no manager now") && !Contains("waiting for your manager"));
  }
  SECTION("from any message of the bot, which loses its buttons") {
    const std::string env = rig.slack.send_envelope(
        "interactive", testing::FakeSlack::click("UBOB", "DBOB", "1700000000.555", "plan_review#0", value, "trig-2"));
    rig.run_until([&] {
      return rig.slack.acked(env) && !rig.posts("DALICE").empty() &&
             rig.posts("DALICE").back().find("approved") != std::string::npos;
    });
    CHECK(rig.store.plans().find(plan.id)->status == bot::PlanStatus::approved);
    CHECK_THAT(rig.posts("DALICE").back(), Contains("approved"));
    rig.run_until([&] { return !rig.slack.calls("chat.update").empty(); });
    const auto update = rig.slack.calls("chat.update").front();
    CHECK(update.args.value("channel", "") == "DBOB");
    CHECK(update.args.value("ts", "") == "1700000000.555");
    CHECK(update.args["blocks"].dump().find("\"actions\"") == std::string::npos);
  }
}

TEST_CASE("Slack: a disconnect mid-dialog opens a new socket first and the dialog goes on", "[slack]") {
  SlackRig rig;
  rig.say("U1", "checkin");
  rig.slack.disconnect("refresh_requested");
  rig.run_until([&] { return rig.slack.connections_opened() == 2; });
  rig.run_until([&] { return rig.slack.open_sockets() == 1; });
  CHECK(rig.service->ready());
  rig.say("U1", "55");
  CHECK(rig.count("SELECT count(*) FROM dialog_sessions") == 1);
  CHECK(rig.slack.calls("apps.connections.open").size() == 2);  // a fresh URL per connection
}

TEST_CASE("Slack: a replaced socket is still read for a while, and what it delivers is handled and acked", "[slack]") {
  using namespace std::chrono_literals;
  SlackRig rig{true, true, 1, 1500ms, 400ms};
  rig.say("U1", "hello");
  rig.slack.disconnect("refresh_requested");
  rig.run_until([&] { return rig.slack.connections_opened() == 2; });
  const auto replaced = std::chrono::steady_clock::now();
  // Slack had this on its way on the old socket when it switched.
  const std::string late = rig.slack.send_envelope_on(0, "events_api", testing::FakeSlack::dm("U1", "help", "Ev-late"));
  rig.run_until([&] { return rig.slack.acked(late); });
  CHECK(rig.slack.acks_on(0) >= 2);  // the welcome's event and the late one
  rig.run_until([&] { return rig.posts("D1").size() == 2; });
  // The old socket's close frame went only after the drain.
  rig.run_until([&] { return rig.slack.open_sockets() == 1; });
  CHECK(std::chrono::steady_clock::now() - replaced >= 300ms);
  rig.say("U1", "help");
  CHECK(rig.slack.acks_on(0) >= 1);  // the new socket (now the only one) carries on
}

TEST_CASE("Slack: replaced twice within a drain, the oldest socket closes at once and stop ends every socket",
          "[slack]") {
  using namespace std::chrono_literals;
  // A drain far longer than the test: only a close that does not wait for it ends it.
  SlackRig rig{true, true, 1, 1500ms, 60s};
  rig.say("U1", "hello");
  rig.slack.disconnect("refresh_requested");
  rig.run_until([&] { return rig.slack.connections_opened() == 2; });
  rig.slack.disconnect("refresh_requested");
  rig.run_until([&] { return rig.slack.connections_opened() == 3; });
  // The first is closed now; the second drains; the third carries on.
  rig.run_until([&] { return rig.slack.open_sockets() == 2; });
  rig.say("U1", "help");
  rig.service->stop();
  rig.run_until([&] { return rig.stopped.has_value() && rig.slack.open_sockets() == 0; });
}

TEST_CASE("Slack: with two sockets, both carry envelopes, and one that drops is reconnected while the other goes on",
          "[slack]") {
  SlackRig rig{true, true, 2};
  rig.run_until([&] { return rig.slack.open_sockets() == 2; });
  CHECK(rig.slack.calls("apps.connections.open").size() == 2);  // a fresh URL each
  rig.run_until([&] { return rig.metrics.render().find("coachbot_slack_sockets_open 2") != std::string::npos; });

  // Envelopes come on either socket; each is acked on the socket it came on.
  const auto first = rig.slack.send_envelope_on(0, "events_api", testing::FakeSlack::dm("U1", "checkin", "Ev1"));
  const auto second = rig.slack.send_envelope_on(1, "events_api", testing::FakeSlack::dm("U2", "checkin", "Ev2"));
  rig.run_until([&] { return rig.slack.acked(first) && rig.slack.acked(second); });
  rig.run_until([&] { return rig.posts("D1").size() == 1 && rig.posts("D2").size() == 1; });
  CHECK(rig.slack.acks_on(0) == 1);
  CHECK(rig.slack.acks_on(1) == 1);

  // The older socket is cut. The service stays ready, the other socket carries the next
  // answer, and the lost one is replaced with a new URL after its backoff.
  rig.slack.drop_socket(0);
  rig.run_until([&] { return rig.metrics.render().find("coachbot_slack_sockets_open 1") != std::string::npos; });
  CHECK(rig.service->ready());
  const auto third = rig.slack.send_envelope_on(0, "events_api", testing::FakeSlack::dm("U1", "60", "Ev3"));
  rig.run_until([&] { return rig.slack.acked(third) && rig.posts("D1").size() == 2; });
  rig.run_until([&] { return rig.slack.open_sockets() == 2; });
  rig.run_until([&] { return rig.metrics.render().find("coachbot_slack_sockets_open 2") != std::string::npos; });
  CHECK(rig.slack.connections_opened() == 3);
  CHECK(rig.slack.calls("apps.connections.open").size() == 3);
  CHECK(rig.count("SELECT count(*) FROM dialog_sessions") == 2);
}

TEST_CASE("Slack: 429s on chat.postMessage delay only that reply, nothing is lost", "[slack]") {
  SlackRig rig;
  rig.slack.rate_limit("chat.postMessage", 2, 1);
  const std::string a = rig.slack.send_envelope("events_api", testing::FakeSlack::dm("U1", "help", "Ev-a"));
  const std::string b = rig.slack.send_envelope("events_api", testing::FakeSlack::dm("U2", "help", "Ev-b"));
  const std::string c = rig.slack.send_envelope("events_api", testing::FakeSlack::dm("U3", "help", "Ev-c"));
  rig.run_until([&] {
    return rig.posts("D1").size() == 1 && rig.posts("D2").size() == 1 && rig.posts("D3").size() == 1 &&
           rig.store.outbox().count(bot::OutboxStatus::pending) == 0;
  });
  CHECK(rig.slack.calls("chat.postMessage").size() == 5);  // 2 refused, 3 delivered
  CHECK(rig.store.outbox().count(bot::OutboxStatus::dead) == 0);
  CHECK(rig.metrics.value("coachbot_slack_api_calls_total", {{"method", "chat.postMessage"}, {"result", "rate_limited"}}) == 2);
  (void)a, (void)b, (void)c;
}

TEST_CASE("Slack: a reply whose retry falls due while another delivery is on its way goes once that one lands",
          "[slack]") {
  SlackRig rig;
  rig.say("U1", "hello");
  rig.run_until([&] { return rig.store.outbox().count(bot::OutboxStatus::pending) == 0; });
  const auto posted = rig.slack.calls("chat.postMessage").size();
  rig.slack.hold("views.publish");
  const std::string home = rig.slack.send_envelope("events_api", testing::FakeSlack::home_opened("U1", "Ev-h1"));
  rig.run_until([&] { return rig.slack.acked(home) && rig.slack.waiting("views.publish") == 1; });
  rig.slack.rate_limit("chat.postMessage", 1, 1);
  const std::string help = rig.slack.send_envelope("events_api", testing::FakeSlack::dm("U2", "help", "Ev-help"));
  rig.run_until([&] {
    return rig.slack.acked(help) && rig.count("SELECT count(*) FROM outbox WHERE last_error IS NOT NULL") == 1;
  });
  // Its Retry-After passes while U1's Home page is still on its way.
  const auto due = bot::from_unix_ms(
      rig.store.database().execAndGet("SELECT next_attempt_at FROM outbox WHERE last_error IS NOT NULL").getInt64());
  rig.run_until([&] { return rig.clock.now() > due; });
  CHECK(rig.posts("D2").empty());
  rig.slack.release("views.publish");
  rig.run_until([&] { return rig.posts("D2").size() == 1 && rig.store.outbox().count(bot::OutboxStatus::pending) == 0; });
  CHECK(rig.slack.calls("views.publish").size() == 1);
  CHECK(rig.slack.calls("chat.postMessage").size() == posted + 2);  // one refused, then the reply once
  CHECK(rig.store.outbox().count(bot::OutboxStatus::dead) == 0);
}

TEST_CASE("Slack: a 429 on views.publish holds that method for everyone until its Retry-After", "[slack]") {
  SlackRig rig;
  rig.slack.rate_limit("views.publish", 1, 1);
  const std::string first = rig.slack.send_envelope("events_api", testing::FakeSlack::home_opened("U1", "Ev-h1"));
  rig.run_until([&] { return rig.slack.acked(first) && !rig.slack.calls("views.publish").empty(); });
  // Another person's page waits too, instead of running into the same limit.
  const std::string second = rig.slack.send_envelope("events_api", testing::FakeSlack::home_opened("U2", "Ev-h2"));
  rig.run_until([&] {
    return rig.slack.acked(second) &&
           rig.count("SELECT count(*) FROM outbox WHERE last_error LIKE 'views.publish: ratelimited%'") == 2;
  });
  CHECK(rig.slack.calls("views.publish").size() == 1);
  rig.run_until([&] { return rig.store.outbox().count(bot::OutboxStatus::pending) == 0; });
  CHECK(rig.slack.calls("views.publish").size() == 3);  // one refused, then each page once
  CHECK(rig.store.outbox().count(bot::OutboxStatus::dead) == 0);
}

TEST_CASE("Slack: a reply whose post failed with a 500 after Slack showed it is not posted twice", "[slack]") {
  SlackRig rig;
  rig.say("U1", "hello");  // the welcome; then the bot knows the DM
  rig.slack.fail("chat.postMessage", 1, true);
  const std::string env = rig.slack.send_envelope("events_api", testing::FakeSlack::dm("U1", "help", "Ev-help"));
  rig.run_until([&] { return rig.slack.acked(env) && rig.store.outbox().count(bot::OutboxStatus::pending) == 0; });
  // The person sees the answer to "help" once, and the outbox knows where it is.
  const auto dm = rig.slack.history("D1");
  REQUIRE(dm.size() == 2);
  CHECK(rig.slack.calls("chat.postMessage").size() == 2);
  CHECK(rig.slack.calls("conversations.history").size() == 1);
  CHECK(rig.slack.calls("conversations.history").front().args.value("channel", "") == "D1");
  CHECK(rig.count("SELECT count(*) FROM outbox WHERE status = 'delivered' AND platform_ref = 'D1:" +
                  dm.back()["ts"].get<std::string>() + "'") == 1);
  CHECK(rig.store.outbox().count(bot::OutboxStatus::dead) == 0);
}

TEST_CASE("Slack: after a crash, a reply that went out before the crash is not posted again, one that did not is",
          "[slack]") {
  SlackRig rig;
  rig.say("U1", "hello");
  rig.say("U2", "hello");
  // The bot stops without warning: one reply had reached Slack, its delivery not yet
  // recorded; the other had not left.
  rig.service->stop();
  rig.run_until([&] { return rig.stopped.has_value(); });
  rig.stopped.reset();
  const auto person = [&](const char* user) {
    return rig.store.people().find_by_identity({bot::Platform::slack, "T1", user})->id;
  };
  const auto posted = rig.store.outbox().add(
      bot::Platform::slack, bot::Message::text(bot::Recipient::dm(person("U1")), "Saved your check-in."), rig.clock.now());
  const auto unsent = rig.store.outbox().add(
      bot::Platform::slack, bot::Message::text(bot::Recipient::dm(person("U2")), "Saved your check-in."), rig.clock.now());
  const std::string ts = rig.slack.seed(
      "D1", "Saved your check-in.",
      {{"event_type", "coachbot_outbox_message"}, {"event_payload", {{"outbox_id", posted.value}}}});
  const auto posts_before = rig.slack.calls("chat.postMessage").size();

  rig.start();
  rig.run_until([&] { return rig.service->ready() && rig.store.outbox().count(bot::OutboxStatus::pending) == 0; });
  CHECK(rig.store.outbox().find(posted)->platform_ref == std::optional<std::string>{"D1:" + ts});
  CHECK(rig.slack.history("D1").size() == 2);  // the welcome, and the reply once
  REQUIRE(rig.slack.calls("chat.postMessage").size() == posts_before + 1);
  CHECK(rig.slack.calls("chat.postMessage").back().args.value("channel", "") == "U2");
  CHECK(rig.store.outbox().find(unsent)->platform_ref.has_value());
}

TEST_CASE("Slack: a reply whose post failed before Slack showed it is posted on the next try", "[slack]") {
  SlackRig rig;
  // The first message to this person fails: the DM is not known yet and is opened.
  rig.slack.fail("chat.postMessage", 1, false);
  const std::string env = rig.slack.send_envelope("events_api", testing::FakeSlack::dm("U2", "hello", "Ev-hi"));
  rig.run_until([&] { return rig.slack.acked(env) && rig.store.outbox().count(bot::OutboxStatus::pending) == 0; });
  REQUIRE(rig.slack.history("D2").size() == 1);
  CHECK(rig.slack.calls("conversations.open").size() == 1);
  CHECK(rig.slack.calls("conversations.history").size() == 1);
  // Each DM carries its outbox id, which is how the check recognises it.
  const auto meta = rig.slack.history("D2").front()["metadata"];
  CHECK(meta["event_type"] == "coachbot_outbox_message");
  CHECK(meta["event_payload"]["outbox_id"] == rig.count("SELECT id FROM outbox WHERE status = 'delivered'"));
  SECTION("and a rate limit, which posts nothing, asks Slack nothing before the next try") {
    rig.slack.rate_limit("chat.postMessage", 1, 1);
    rig.say("U2", "help");
    CHECK(rig.slack.calls("conversations.history").size() == 1);
    CHECK(rig.slack.history("D2").size() == 2);
  }
}

TEST_CASE("Slack Events API: signed requests are handled, a bad signature gets 401 and stores nothing", "[slack]") {
  SlackRig rig{false};
  EventsApi api{rig};
  const auto post = [&](std::string body, std::string signature, std::string ts, std::string type = "application/json") {
    return api.post("/slack/events", std::move(body), std::move(signature), std::move(ts), std::move(type));
  };
  const std::string ts = api.now();
  const std::string body = testing::FakeSlack::dm("U7", "hello", "Ev-http").dump();

  const auto forged = post(body, adapters::slack::sign("not-the-secret", ts, body), ts);
  CHECK(forged.status == 401);
  CHECK(rig.count("SELECT count(*) FROM people") == 0);
  CHECK(rig.count("SELECT count(*) FROM processed_events") == 0);

  // Slack's certificate probe is not signed: 200, and a command smuggled alongside is not run.
  const auto probe = post("ssl_check=1&token=x&command=%2Fcoach&text=checkin&user_id=U7&team_id=T1", "", "",
                          "application/x-www-form-urlencoded");
  CHECK(probe.status == 200);
  CHECK(probe.body.empty());
  CHECK(rig.count("SELECT count(*) FROM people") == 0);

  const auto challenge = nlohmann::json{{"type", "url_verification"}, {"token", "x"}, {"challenge", "abc123"}}.dump();
  const auto verified = post(challenge, adapters::slack::sign(kSecret, ts, challenge), ts);
  CHECK(verified.status == 200);
  CHECK_THAT(verified.body, Contains("abc123"));

  const auto ok = post(body, adapters::slack::sign(kSecret, ts, body), ts);
  CHECK(ok.status == 200);
  CHECK(rig.count("SELECT count(*) FROM people") == 1);  // committed before the 200
  rig.run_until([&] { return !rig.posts("D7").empty(); });

  const std::string stale = std::to_string(std::stoll(ts) - 600);
  CHECK(post(body, adapters::slack::sign(kSecret, stale, body), stale).status == 401);
}

TEST_CASE("Slack: link_disabled stops Socket Mode and says why, the service stays alive", "[slack]") {
  SlackRig rig;
  rig.slack.disconnect("link_disabled");
  rig.run_until([&] { return rig.stopped.has_value(); });
  CHECK_THAT(*rig.stopped, Contains("link_disabled"));
  CHECK_FALSE(rig.service->ready());
  CHECK(rig.slack.connections_opened() == 1);  // no reconnect loop
}

TEST_CASE("Slack: with two sockets, link_disabled on one closes both and stops Socket Mode", "[slack]") {
  SlackRig rig{true, true, 2};
  rig.run_until([&] { return rig.slack.open_sockets() == 2; });
  rig.slack.disconnect("link_disabled");  // on the newer socket
  rig.run_until([&] { return rig.stopped.has_value() && rig.slack.open_sockets() == 0; });
  CHECK_THAT(*rig.stopped, Contains("link_disabled"));
  CHECK_FALSE(rig.service->ready());
  CHECK(rig.slack.connections_opened() == 2);  // neither slot reconnects
}

TEST_CASE("Slack: a slash command during a check-in runs the command and is never taken as an answer", "[slack]") {
  SlackRig rig;
  rig.say("U1", "checkin");
  rig.say("U1", "55");
  const auto slash = [&](const std::string& text) {
    const auto before = rig.posts("D1").size();
    const std::string env = rig.slack.send_envelope(
        "slash_commands", {{"command", "/coach"}, {"text", text}, {"user_id", "U1"}, {"team_id", "T1"},
                           {"channel_id", "D1"}, {"trigger_id", "trig-" + text}});
    rig.run_until([&] { return rig.slack.acked(env) && rig.posts("D1").size() > before; });
    return rig.posts("D1").back();
  };
  // Help is about the open question, which stays open.
  CHECK_THAT(slash("help"), Contains("*cancel*"));
  CHECK(rig.count("SELECT count(*) FROM dialog_sessions WHERE dialog = 'checkin'") == 1);
  CHECK_THAT(slash("plan"), Contains("I closed your open check-in"));
  CHECK(rig.count("SELECT count(*) FROM checkins") == 0);
}

TEST_CASE("Slack Events API: events before the bot knows its own user id get 503 and store nothing", "[slack]") {
  SlackRig rig{false, false};
  rig.slack.hold("auth.test");
  EventsApi api{rig};
  const auto post = [&] {
    return api.signed_post("/slack/events", testing::FakeSlack::dm("UCOACHBOT", "hello", "Ev-own").dump());
  };
  // The bot's own message, which only auth.test's user id tells from a person's.
  CHECK(post().status == 503);
  CHECK(rig.count("SELECT count(*) FROM people") == 0);
  rig.slack.release("auth.test");
  rig.run_until([&] { return rig.service->ready(); });
  CHECK(post().status == 200);  // Slack's retry: now recognised and ignored
  CHECK(rig.count("SELECT count(*) FROM people") == 0);
}

TEST_CASE("Slack Events API: a slash command in a form body starts the dialog in the DM", "[slack]") {
  SlackRig rig{false};
  EventsApi api{rig};
  const std::string body = net::form_encode({{"command", "/coach"},
                                             {"text", "checkin"},
                                             {"user_id", "U8"},
                                             {"team_id", "T1"},
                                             {"channel_id", "C-GENERAL"},
                                             {"trigger_id", "trig-slash"}});
  const auto out = api.signed_post("/slack/commands", body, "application/x-www-form-urlencoded");
  CHECK(out.status == 200);
  CHECK(rig.count("SELECT count(*) FROM dialog_sessions") == 1);
  rig.run_until([&] { return !rig.posts("D8").empty(); });
  // The command came with a trigger id, so the check-in also opened as a modal.
  rig.run_until([&] { return !rig.slack.calls("views.open").empty(); });
  CHECK(rig.slack.calls("views.open").front().args.value("trigger_id", "") == "trig-slash");
}
