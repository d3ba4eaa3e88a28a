// The engine on a real SQLite file with the real conversation: one transaction per
// event, dedupe, the person's own week, replies through the outbox.
#include <algorithm>

#include <catch2/catch.hpp>

#include "bot/engine.hpp"
#include "dialogs/coach_conversation.hpp"
#include "storage/sqlite_store.hpp"
#include "tests/support/temp_dir.hpp"

using Catch::Matchers::Contains;

namespace {

// Sunday 2026-11-29 23:30 UTC: still week 48 in London, already Monday (week 49) in Berlin.
const bot::Instant kSundayNight =
    bot::Instant{std::chrono::sys_days{std::chrono::year{2026} / 11 / 29} + std::chrono::hours{23} + std::chrono::minutes{30}};

struct Rig {
  testing::TempDir dir;
  storage::SqliteStore store{{dir.file("engine.db")}};
  dialogs::CoachConversation conversation;
  bot::ManualClock clock{kSundayNight};
  bot::Engine engine{store, conversation, clock, bot::EngineSettings{bot::Defaults{"Europe/London", 1, 540}, std::chrono::hours{168}, {"Grow the platform team"}, {{"data", "C-DATA"}}, {}, {}, false}};

  bot::HandleResult say(const std::string& user, const std::string& text, const std::string& event_id = {},
                        std::optional<std::string> zone = std::nullopt) {
    bot::Event e;
    e.from = {bot::Platform::slack, "T1", user};
    e.display_name = user;
    e.kind = bot::EventKind::text;
    e.text = text;
    e.platform_event_id = event_id;
    e.time_zone = std::move(zone);
    bot::HandleResult r = engine.handle(e);
    // Slack people also get their Home tab refreshed; these tests are about replies.
    std::erase_if(r.queued, [&](bot::OutboxId id) {
      return store.outbox().find(id)->message.to.kind == bot::RecipientKind::home;
    });
    return r;
  }
  int count(const std::string& table) {
    return store.database().execAndGet("SELECT count(*) FROM " + table).getInt();
  }
  std::string reply(const bot::HandleResult& r) {
    REQUIRE(r.queued.size() >= 1);
    return store.outbox().find(r.queued.front())->message.plain_text();
  }
};

}  // namespace

TEST_CASE("A redelivered event changes nothing the second time") {
  Rig rig;
  const auto first = rig.say("U1", "checkin", "Ev1");
  REQUIRE(first.status == bot::Handled::done);
  const int outbox = rig.count("outbox");
  const auto again = rig.say("U1", "checkin", "Ev1");
  CHECK(again.status == bot::Handled::duplicate);
  CHECK(again.queued.empty());
  CHECK(rig.count("outbox") == outbox);
  CHECK(rig.count("people") == 1);
  CHECK(rig.store.sessions().load(first.person)->version == 1);
}

TEST_CASE("A new person gets the platform's time zone, or the configured default") {
  Rig rig;
  const auto berlin = rig.say("U1", "hi", {}, "Europe/Berlin");
  const auto unknown = rig.say("U2", "hi", {}, "Not/AZone");
  CHECK(rig.store.people().find(berlin.person)->prefs.time_zone == "Europe/Berlin");
  CHECK(rig.store.people().find(unknown.person)->prefs.time_zone == "Europe/London");
  CHECK(rig.store.people().find(unknown.person)->prefs.checkin_minute == 540);
}

TEST_CASE("A zone chosen in settings stays, though every event brings the client's zone (Teams)") {
  Rig rig;
  const auto first = rig.say("U1", "hi", {}, "America/New_York");
  rig.say("U1", "cancel", {}, "America/New_York");  // setup skipped: not onboarded
  REQUIRE_FALSE(rig.store.people().find(first.person)->onboarded);
  rig.say("U1", "settings", {}, "America/New_York");
  bot::Event pick;
  pick.from = {bot::Platform::slack, "T1", "U1"};
  pick.kind = bot::EventKind::button;
  pick.action = "setting";
  pick.value = "time_zone";
  pick.time_zone = "America/New_York";
  rig.engine.handle(pick);
  rig.say("U1", "Europe/Berlin", {}, "America/New_York");
  CHECK(rig.store.people().find(first.person)->prefs.time_zone == "Europe/Berlin");
  rig.say("U1", "goals", {}, "America/New_York");
  CHECK(rig.store.people().find(first.person)->prefs.time_zone == "Europe/Berlin");
}

TEST_CASE("The check-in is stored for the ISO week in the person's own time zone") {
  Rig rig;
  auto run = [&](const std::string& user, std::optional<std::string> zone) {
    rig.say(user, "checkin", {}, std::move(zone));
    rig.say(user, "55");
    rig.say(user, "Something");
    rig.say(user, "none");
    return rig.say(user, "Next thing");
  };
  const auto berliner = run("UB", "Europe/Berlin");
  const auto londoner = run("UL", "Europe/London");
  CHECK_THAT(rig.reply(berliner), Contains("Saved your check-in for 2026-W49"));
  CHECK_THAT(rig.reply(londoner), Contains("Saved your check-in for 2026-W48"));
  CHECK(rig.store.checkins().latest(berliner.person, "2026-W49")->overall_progress == 55);
  CHECK(rig.store.checkins().latest(londoner.person, "2026-W48")->overall_progress == 55);
}

TEST_CASE("A check-in started on Sunday night and finished on Monday is for Sunday's week") {
  Rig rig;
  rig.say("UL", "checkin", {}, "Europe/London");
  rig.say("UL", "55");
  rig.say("UL", "Something");
  rig.clock.set(kSundayNight + std::chrono::hours{1});  // Monday 00:30 in London: week 49
  rig.say("UL", "none");
  const auto saved = rig.say("UL", "Next thing");
  CHECK_THAT(rig.reply(saved), Contains("Saved your check-in for 2026-W48"));
  CHECK(rig.store.checkins().latest(saved.person, "2026-W48")->overall_progress == 55);
  CHECK_FALSE(rig.store.checkins().latest(saved.person, "2026-W49"));

  // So week 49's prompt still comes.
  rig.say("UL", "cancel");  // the reflection offered after the check-in
  bot::Event prompt;
  prompt.from = {bot::Platform::slack, "T1", "UL"};
  prompt.kind = bot::EventKind::timer;
  prompt.action = std::string{bot::kTimerCheckIn};
  prompt.value = "2026-W49";
  prompt.platform_event_id = "timer:checkin:UL:2026-W49";
  auto asked = rig.engine.handle(prompt);
  std::erase_if(asked.queued, [&](bot::OutboxId id) {
    return rig.store.outbox().find(id)->message.to.kind == bot::RecipientKind::home;
  });
  CHECK_THAT(rig.reply(asked), Contains("Time for your weekly check-in") && Contains("2026-W49"));
}

TEST_CASE("Each message gets one reply, queued in the same transaction") {
  Rig rig;
  for (const char* text : {"checkin", "abc", "101", "50", "learned", "skip", "step"}) {
    const auto r = rig.say("U1", text);
    INFO(text);
    CHECK(r.queued.size() == 1);
  }
  CHECK(rig.count("outbox WHERE recipient_key NOT LIKE 'home:%'") == 7);
  CHECK(rig.count("checkins") == 1);
}

TEST_CASE("A Slack person's Home tab is refreshed when what it shows changes, not on every answer") {
  Rig rig;
  const auto homes = [&] { return rig.count("outbox WHERE recipient_key LIKE 'home:%'"); };
  // Nobody has looked at the Home tab yet: a saved check-in publishes nothing.
  for (const char* text : {"checkin", "50", "learned", "skip", "step"}) rig.say("U1", text);
  CHECK(rig.count("checkins") == 1);
  CHECK(homes() == 0);

  bot::Event opened;
  opened.from = {bot::Platform::slack, "T1", "U1"};
  opened.kind = bot::EventKind::app_opened;
  opened.action = "home";
  rig.engine.handle(opened);
  CHECK(homes() == 1);
  rig.say("U1", "checkin");
  rig.say("U1", "60");
  rig.say("U1", "learned");
  CHECK(homes() == 1);
  rig.say("U1", "skip");
  rig.say("U1", "step");  // saved again: the tab they once opened is refreshed
  CHECK(homes() == 2);
  const auto last = rig.store.database().execAndGet(
      "SELECT message FROM outbox WHERE recipient_key LIKE 'home:%' ORDER BY id DESC LIMIT 1").getString();
  CHECK_THAT(last, Contains("checked in") && Contains("Edit this week's check-in"));
}

TEST_CASE("A manager's Home tab counts the plans waiting for them, with a button that lists them") {
  Rig rig;
  bot::Person bob;
  bob.display_name = "bob";
  bob.prefs.time_zone = "Europe/London";
  bob = rig.store.people().create(bob, {bot::Platform::slack, "T1", "U2"});
  bot::Person alice;
  alice.display_name = "alice";
  alice.prefs.time_zone = "Europe/London";
  alice.manager = bob.id;
  alice = rig.store.people().create(alice, {bot::Platform::slack, "T1", "U1"});
  bot::Plan plan;
  plan.person = alice.id;
  plan.period_start = "2026-07-01";
  plan.period_end = "2027-01-01";
  plan.aspiration_short = "Run our incident reviews";
  plan.status = bot::PlanStatus::submitted;
  plan = rig.store.plans().save(plan, kSundayNight);

  bot::Event opened;
  opened.from = {bot::Platform::slack, "T1", "U2"};
  opened.kind = bot::EventKind::app_opened;
  opened.action = "home";
  std::optional<bot::Message> page;
  for (const auto id : rig.engine.handle(opened).queued)
    if (auto m = rig.store.outbox().find(id)->message; m.to.kind == bot::RecipientKind::home) page = m;
  REQUIRE(page);
  const bot::Message& home = *page;
  CHECK_THAT(home.plain_text(), Contains("1 plan waits for your review."));
  const auto button = std::find_if(home.buttons.begin(), home.buttons.end(),
                                   [](const bot::Button& b) { return b.label == "Plans to review"; });
  REQUIRE(button != home.buttons.end());

  bot::Event click;
  click.from = {bot::Platform::slack, "T1", "U2"};
  click.kind = bot::EventKind::button;
  click.action = button->id;
  click.value = button->value;
  const auto listed = rig.engine.handle(click);
  REQUIRE_FALSE(listed.queued.empty());
  const bot::Message overview = rig.store.outbox().find(listed.queued[0])->message;
  CHECK_THAT(overview.plain_text(), Contains("alice's learning plan"));
  REQUIRE_FALSE(overview.buttons.empty());
  CHECK(overview.buttons[0].value == "approve:" + std::to_string(plan.id.value));
  // bob's setup, opened by his first visit, is still there to answer.
  CHECK_THAT(overview.plain_text(), Contains("Your setup is still open"));
  CHECK(rig.store.sessions().load(bob.id).has_value());
}

TEST_CASE("Naming a manager tells them, through their own direct messages") {
  Rig rig;
  rig.say("U1", "setup");
  rig.say("U1", "keep");
  rig.say("U1", "wed");
  rig.say("U1", "10:00");
  // A bare name names nobody in Slack, so nobody is created for it.
  const auto refused = rig.say("U1", "u2");
  CHECK_THAT(rig.store.outbox().find(refused.queued.at(0))->message.plain_text(), Contains("Please @-mention them"));
  CHECK_FALSE(rig.store.people().find_by_identity({bot::Platform::slack, "T1", "u2"}));
  const auto done = rig.say("U1", "<@U2>");
  REQUIRE(done.queued.size() == 2);
  const auto note = rig.store.outbox().find(done.queued[1]);
  const auto manager = rig.store.people().find_by_identity({bot::Platform::slack, "T1", "U2"});
  REQUIRE(manager);
  CHECK(rig.store.people().find(done.person)->manager == manager->id);
  CHECK(note->message.to == bot::Recipient::dm(manager->id));
  CHECK(note->platform == bot::Platform::slack);
  CHECK_THAT(note->message.plain_text(), Contains("named you as their manager"));
}

TEST_CASE("A failure while handling rolls everything back, so a redelivery can succeed") {
  testing::TempDir dir;
  storage::SqliteStore store{{dir.file("e.db")}};
  struct Exploding : bot::Conversation {
    bot::Transition handle(const std::optional<bot::DialogState>&, const bot::Input&, const bot::Context&) const override {
      throw std::runtime_error("boom");
    }
  } exploding;
  bot::ManualClock clock{kSundayNight};
  bot::Engine engine{store, exploding, clock, {}};
  bot::Event e;
  e.from = {bot::Platform::slack, "T1", "U1"};
  e.text = "checkin";
  e.platform_event_id = "Ev9";
  CHECK_THROWS(engine.handle(e));
  CHECK(store.database().execAndGet("SELECT count(*) FROM people").getInt() == 0);
  CHECK(store.processed_events().mark(bot::Platform::slack, "Ev9", kSundayNight));  // not recorded before
}
