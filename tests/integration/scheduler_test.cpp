// The scheduler on a real SQLite file with a manual clock: weekly prompts fire once per
// occurrence (also across restarts), reminders stop after the second, answering cancels
// them, a prompt missed by hours is skipped, follow-ups arrive on time.
#include <catch2/catch.hpp>

#include <algorithm>
#include <memory>

#include <nlohmann/json.hpp>

#include "bot/engine.hpp"
#include "bot/message_json.hpp"
#include "bot/scheduler.hpp"
#include "dialogs/coach_conversation.hpp"
#include "storage/sqlite_store.hpp"
#include "tests/support/temp_dir.hpp"

using Catch::Matchers::Contains;

namespace {

bot::Instant utc(int y, unsigned m, unsigned d, int h, int min = 0) {
  return bot::Instant{std::chrono::sys_days{std::chrono::year{y} / std::chrono::month{m} / std::chrono::day{d}} + std::chrono::hours{h} + std::chrono::minutes{min}};
}

// Monday 2026-11-23 10:00 UTC (11:00 in Berlin).
const bot::Instant kStart = utc(2026, 11, 23, 10);
// The next default check-in: Monday 2026-11-30 09:00 Berlin.
const bot::Instant kNextCheckIn = utc(2026, 11, 30, 8);

// One process: store, engine, scheduler. Several on the same file model restarts.
struct Process {
  Process(const std::string& file, bot::ManualClock& clock)
      : store{{file}},
        engine{store, conversation, clock,
               bot::EngineSettings{bot::Defaults{"Europe/Berlin", 1, 540}, std::chrono::hours{168}, {}, {}, {}, {}, false}},
        scheduler{store, engine, clock, bot::SchedulerSettings{}} {}
  storage::SqliteStore store;
  dialogs::CoachConversation conversation;
  bot::Engine engine;
  bot::Scheduler scheduler;
};

struct Rig {
  testing::TempDir dir;
  bot::ManualClock clock{kStart};
  std::unique_ptr<Process> process = std::make_unique<Process>(dir.file("schedule.db"), clock);

  void restart() {
    process.reset();
    process = std::make_unique<Process>(dir.file("schedule.db"), clock);
  }
  bot::HandleResult say(const std::string& text) {
    bot::Event e;
    e.from = {bot::Platform::console, "local", "alice"};
    e.display_name = "alice";
    e.kind = bot::EventKind::text;
    e.text = text;
    return process->engine.handle(e);
  }
  bot::PersonId alice() {
    const auto r = say("hi");
    say("cancel");  // the welcome setup; the defaults stay
    return r.person;
  }
  int count(const std::string& sql) { return process->store.database().execAndGet(sql).getInt(); }
  int messages_containing(const std::string& text) {
    return count("SELECT count(*) FROM outbox WHERE message LIKE '%" + text + "%'");
  }
  // A draft plan with one goal, and bob as alice's manager.
  bot::Plan plan_for_review(bot::PersonId alice) {
    bot::Event hello;
    hello.from = {bot::Platform::console, "local", "bob"};
    hello.kind = bot::EventKind::text;
    hello.text = "hi";
    const auto bob = process->engine.handle(hello).person;
    auto& store = process->store;
    bot::Person a = *store.people().find(alice);
    a.manager = bob;
    store.people().update(a);
    bot::Plan plan;
    plan.person = alice;
    plan.period_start = "2026-07-01";
    plan.period_end = "2027-01-01";
    plan = store.plans().save(plan, clock.now());
    bot::Goal goal;
    goal.person = alice;
    goal.plan = plan.id;
    goal.statement = "Pass the CKA exam";
    store.goals().add(goal, clock.now());
    return plan;
  }
  std::size_t run_at(bot::Instant at) {
    clock.set(at);
    return process->scheduler.run_due();
  }
};

}  // namespace

TEST_CASE("The weekly prompt fires once at the person's local time and opens the check-in") {
  Rig rig;
  const auto alice = rig.alice();
  const auto entry = rig.process->store.schedule().find("checkin", alice);
  REQUIRE(entry);
  CHECK(bot::format_utc(entry->next_run_at) == bot::format_utc(kNextCheckIn));
  CHECK(entry->occurrence == "2026-W49");

  CHECK(rig.run_at(kNextCheckIn - std::chrono::minutes{1}) == 0);
  CHECK(rig.run_at(kNextCheckIn) == 1);
  CHECK(rig.messages_containing("Time for your weekly check-in") == 1);
  CHECK(rig.process->store.sessions().load(alice)->state.dialog == "checkin");
  CHECK(rig.run_at(kNextCheckIn + std::chrono::minutes{5}) == 0);
  // Next week's occurrence is lined up.
  CHECK(rig.process->store.schedule().find("checkin", alice)->occurrence == "2026-W50");
  CHECK(*rig.process->scheduler.next_run() <= kNextCheckIn + std::chrono::hours{24});
}

TEST_CASE("A restart before, during or after a firing sends exactly one prompt") {
  Rig rig;
  const auto alice = rig.alice();
  const auto before = *rig.process->store.schedule().find("checkin", alice);
  rig.restart();  // stopped before the firing
  CHECK(rig.run_at(kNextCheckIn) == 1);
  rig.restart();  // after
  rig.run_at(kNextCheckIn + std::chrono::minutes{1});
  // During: the prompt committed but the process died before moving the timer on.
  rig.process->store.schedule().put(before, rig.clock.now());
  rig.restart();
  CHECK(rig.run_at(kNextCheckIn + std::chrono::minutes{2}) == 1);
  CHECK(rig.messages_containing("Time for your weekly check-in") == 1);
  CHECK(rig.process->store.schedule().find("checkin", alice)->occurrence == "2026-W50");
}

TEST_CASE("An unanswered check-in gets two reminders, then nothing more") {
  Rig rig;
  const auto alice = rig.alice();
  rig.run_at(kNextCheckIn);
  rig.run_at(kNextCheckIn + std::chrono::hours{24});
  CHECK(rig.messages_containing("A reminder: your check-in for *2026-W49*") == 1);
  rig.run_at(kNextCheckIn + std::chrono::hours{48});
  CHECK(rig.messages_containing("A reminder: your check-in for *2026-W49*") == 2);
  rig.run_at(kNextCheckIn + std::chrono::hours{96});
  CHECK(rig.messages_containing("A reminder") == 2);
  CHECK_FALSE(rig.process->store.schedule().find("checkin_reminder", alice));
  // The open check-in was resumed, not restarted.
  CHECK(rig.process->store.sessions().load(alice)->state.dialog == "checkin");
}

TEST_CASE("Answering the check-in cancels the pending reminders") {
  Rig rig;
  const auto alice = rig.alice();
  rig.run_at(kNextCheckIn);
  REQUIRE(rig.process->store.schedule().find("checkin_reminder", alice));
  for (const char* answer : {"50", "Query plans", "none", "Index the slow table"}) rig.say(answer);
  CHECK(rig.count("SELECT count(*) FROM checkins") == 1);
  CHECK_FALSE(rig.process->store.schedule().find("checkin_reminder", alice));
  rig.run_at(kNextCheckIn + std::chrono::hours{30});
  CHECK(rig.messages_containing("A reminder") == 0);
}

TEST_CASE("A prompt missed by more than the window after downtime is skipped, not sent at night") {
  Rig rig;
  const auto alice = rig.alice();
  rig.restart();
  CHECK(rig.run_at(kNextCheckIn + std::chrono::hours{13}) == 1);
  CHECK(rig.messages_containing("Time for your weekly check-in") == 0);
  CHECK_FALSE(rig.process->store.schedule().find("checkin_reminder", alice));
  CHECK(rig.process->store.schedule().find("checkin", alice)->occurrence == "2026-W50");
}

TEST_CASE("A prompt while another dialog is open points to the check-in and keeps the dialog") {
  Rig rig;
  const auto alice = rig.alice();
  rig.say("reflect");
  rig.run_at(kNextCheckIn);
  CHECK(rig.messages_containing("When you''re done here, type *checkin*") == 1);
  CHECK(rig.process->store.sessions().load(alice)->state.dialog == "reflection");
}

TEST_CASE("A changed check-in day moves the timer, a pause skips the weeks it covers") {
  Rig rig;
  const auto alice = rig.alice();
  auto& schedule = rig.process->store.schedule();
  bot::Person p = *rig.process->store.people().find(alice);
  p.prefs.checkin_weekday = 3;
  p.prefs.paused_until = "2026-12-06";
  rig.process->store.people().update(p);
  rig.say("goals");  // any event re-reads the person and syncs the timer (an import may change them)
  const auto entry = schedule.find("checkin", alice);
  REQUIRE(entry);
  CHECK(entry->occurrence == "2026-W50");
  CHECK(bot::format_utc(entry->next_run_at) == bot::format_utc(utc(2026, 12, 9, 8)));
  CHECK_THAT(entry->rule, Contains("Wednesday") && Contains("paused until 2026-12-06"));
}

TEST_CASE("A reflection's follow-up is delivered on time by the scheduler") {
  Rig rig;
  const auto alice = rig.alice();
  rig.say("reflect");
  rig.say("Query plans");
  rig.say("On the billing job");
  rig.say("skip");
  const auto entry = rig.process->store.schedule().find("follow_up", alice);
  REQUIRE(entry);
  CHECK(bot::format_utc(entry->next_run_at) == bot::format_utc(kStart + std::chrono::days{14}));
  rig.run_at(kStart + std::chrono::days{14});
  CHECK(rig.messages_containing("Did you apply it?") == 1);
  CHECK(rig.process->store.sessions().load(alice)->state.dialog == "follow_up");
  CHECK_FALSE(rig.process->store.schedule().find("follow_up", alice));
}

TEST_CASE("A plan waiting for review reminds the manager after 2 and 5 working days, a decision withdraws it") {
  Rig rig;
  const auto alice = rig.alice();
  auto& store = rig.process->store;
  const bot::Plan plan = rig.plan_for_review(alice);
  rig.say("submit");
  CHECK(rig.messages_containing("sent you their learning plan") == 1);
  // Submitted Monday 11:00 Berlin: 2 working days is Wednesday 11:00, 5 is the next Monday.
  rig.run_at(utc(2026, 11, 25, 9, 59));
  CHECK(rig.messages_containing("still waiting for your review") == 0);
  rig.run_at(utc(2026, 11, 25, 10));
  CHECK(rig.messages_containing("still waiting for your review") == 1);
  REQUIRE(store.schedule().find("review_reminder", alice));
  // bob approves before the second reminder: it is withdrawn.
  bot::Event approve;
  approve.from = {bot::Platform::console, "local", "bob"};
  approve.kind = bot::EventKind::button;
  approve.action = "plan_review";
  approve.value = "approve:" + std::to_string(plan.id.value);
  rig.process->engine.handle(approve);
  CHECK(store.plans().find(plan.id)->status == bot::PlanStatus::approved);
  CHECK_FALSE(store.schedule().find("review_reminder", alice));
  rig.run_at(utc(2026, 11, 30, 10));
  CHECK(rig.messages_containing("still waiting for your review") == 1);
}

TEST_CASE("An undecided plan gets its second and last reminder 5 working days after submission") {
  Rig rig;
  const auto alice = rig.alice();
  auto& store = rig.process->store;
  rig.plan_for_review(alice);
  rig.say("submit");
  rig.run_at(utc(2026, 11, 25, 10));
  rig.run_at(utc(2026, 11, 30, 9, 59));
  CHECK(rig.messages_containing("still waiting for your review") == 1);
  rig.run_at(utc(2026, 11, 30, 10));
  CHECK(rig.messages_containing("still waiting for your review") == 2);
  CHECK_FALSE(store.schedule().find("review_reminder", alice));
  rig.run_at(utc(2026, 12, 10, 10));
  CHECK(rig.messages_containing("still waiting for your review") == 2);
}

TEST_CASE("The manager's weekly digest lists what waits, what was asked and the team's check-ins") {
  Rig rig;
  const auto alice = rig.alice();
  auto& store = rig.process->store;
  const bot::Plan plan = rig.plan_for_review(alice);
  rig.say("submit");
  // alice asks for a conversation in this week's check-in.
  bot::Person a = *store.people().find(alice);
  rig.say("checkin");
  for (const char* answer : {"40", "2", "Helm charts", "No staging access", "yes", "3", "Ask for access"}) rig.say(answer);
  CHECK(rig.count("SELECT count(*) FROM checkins WHERE need_help = 1") == 1);
  const bot::PersonId bob = *a.manager;
  const auto digest = store.schedule().find("digest", bob);
  REQUIRE(digest);
  CHECK(bot::format_utc(digest->next_run_at) == bot::format_utc(kNextCheckIn));

  rig.run_at(kNextCheckIn);
  CHECK(rig.messages_containing("Your weekly learning digest") == 1);
  const bot::Message m = nlohmann::json::parse(store.database().execAndGet(
                                                  "SELECT message FROM outbox WHERE message LIKE '%learning digest%'")
                                                  .getString())
                             .get<bot::Message>();
  CHECK(m.to == bot::Recipient::dm(bob));
  CHECK_THAT(m.plain_text(), Contains("alice's learning plan") && Contains("alice would like a conversation") &&
                                 Contains("No staging access") && Contains("W49 0/1"));
  // alice joined in W48: the weeks before are no missed check-ins of hers.
  CHECK_THAT(m.plain_text(), Contains("W46 \u2013 \u00b7 W47 \u2013 \u00b7 W48 1/1 \u00b7 W49 0/1"));
  REQUIRE(m.buttons.size() == 3);
  CHECK(m.buttons[2].value == "snooze:" + std::to_string(plan.id.value));

  // Snooze: the next review reminder waits at least a day.
  bot::Event snooze;
  snooze.from = {bot::Platform::console, "local", "bob"};
  snooze.kind = bot::EventKind::button;
  snooze.action = "plan_review";
  snooze.value = m.buttons[2].value;
  rig.process->engine.handle(snooze);
  CHECK(store.schedule().find("review_reminder", alice)->next_run_at >= rig.clock.now() + std::chrono::hours{24});
  // Next week's digest is lined up.
  CHECK(store.schedule().find("digest", bob)->occurrence == "2026-W50");
}

TEST_CASE("No digest when there is nothing to say") {
  Rig rig;
  const auto alice = rig.alice();
  auto& store = rig.process->store;
  rig.plan_for_review(alice);  // bob manages alice; the plan stays a draft
  rig.say("goals");
  const bot::PersonId bob = *store.people().find(alice)->manager;
  REQUIRE(store.schedule().find("digest", bob));
  rig.run_at(kNextCheckIn);
  CHECK(rig.messages_containing("Your weekly learning digest") == 0);
}

TEST_CASE("A holiday of the person's region moves their check-in to the next working day") {
  testing::TempDir dir;
  bot::ManualClock clock{kStart};
  bot::Calendars calendars;
  calendars.regional_holidays["DE"] = {"2026-11-30"};
  storage::SqliteStore store{{dir.file("regions.db")}};
  dialogs::CoachConversation conversation;
  bot::EngineSettings settings{bot::Defaults{"Europe/Berlin", 1, 540}, std::chrono::hours{168}, {}, {}, calendars, {},
                               false};
  bot::Engine engine{store, conversation, clock, settings};
  auto say = [&](const std::string& who, const std::string& text) {
    bot::Event e;
    e.from = {bot::Platform::console, "local", who};
    e.kind = bot::EventKind::text;
    e.text = text;
    return engine.handle(e).person;
  };
  const auto anna = say("anna", "hi");
  const auto ben = say("ben", "hi");
  store.database().exec("UPDATE people SET region = 'DE' WHERE id = " + std::to_string(anna.value));
  say("anna", "cancel");
  say("ben", "cancel");
  CHECK(bot::format_utc(store.schedule().find("checkin", anna)->next_run_at) == "2026-12-01T08:00:00Z");
  CHECK(bot::format_utc(store.schedule().find("checkin", ben)->next_run_at) == bot::format_utc(kNextCheckIn));
}

TEST_CASE("A plan resubmitted after changes is reminded about again") {
  Rig rig;
  const auto alice = rig.alice();
  auto& store = rig.process->store;
  const bot::Plan plan = rig.plan_for_review(alice);
  rig.say("submit");
  rig.run_at(utc(2026, 11, 25, 10));
  CHECK(rig.messages_containing("still waiting for your review") == 1);
  // bob asks for changes; alice resubmits on Thursday.
  bot::Plan p = *store.plans().find(plan.id);
  p.status = bot::PlanStatus::changes_requested;
  store.plans().save(p, rig.clock.now());
  rig.clock.set(utc(2026, 11, 26, 10));
  rig.say("submit");
  rig.run_at(utc(2026, 11, 30, 10));  // two working days after Thursday
  CHECK(rig.messages_containing("still waiting for your review") == 2);
}

TEST_CASE("A Saturday chosen in setup is kept and the prompt comes on Saturday at the chosen local time") {
  Rig rig;
  const auto alice = rig.alice();
  for (const char* answer : {"setup", "keep", "Saturday", "10:30"}) rig.say(answer);
  rig.say("none");
  CHECK(rig.messages_containing("You''re all set. I''ll check in every *Saturday* at *10:30*") == 1);
  CHECK(rig.process->store.people().find(alice)->prefs.checkin_weekday == 6);
  // Saturday 2026-11-28 10:30 in Berlin is 09:30 UTC.
  CHECK(rig.run_at(utc(2026, 11, 28, 9, 29)) == 0);
  CHECK(rig.run_at(utc(2026, 11, 28, 9, 30)) == 1);
  CHECK(rig.messages_containing("Time for your weekly check-in") == 1);
  CHECK(rig.process->store.schedule().find("checkin", alice)->occurrence == "2026-W49");
}

TEST_CASE("A Sunday chosen in settings is kept and the prompt comes on Sunday") {
  Rig rig;
  const auto alice = rig.alice();
  for (const char* answer : {"settings", "checkin", "sun", "11:00"}) rig.say(answer);
  CHECK(rig.messages_containing("Saved: I''ll check in every Sunday at 11:00.") == 1);
  // Sunday 2026-11-29 11:00 in Berlin is 10:00 UTC.
  CHECK(rig.run_at(utc(2026, 11, 29, 9, 59)) == 0);
  CHECK(rig.run_at(utc(2026, 11, 29, 10)) == 1);
  CHECK(rig.messages_containing("Time for your weekly check-in") == 1);
  CHECK(rig.process->store.sessions().load(alice)->state.dialog == "checkin");
}

TEST_CASE("A timer that cannot fire is put off an hour and the others due after it still fire") {
  Rig rig;
  auto& store = rig.process->store;
  const auto alice = rig.alice();
  const auto bob_says = [&](const std::string& text) {
    bot::Event e;
    e.from = {bot::Platform::console, "local", "bob"};
    e.kind = bot::EventKind::text;
    e.text = text;
    return rig.process->engine.handle(e).person;
  };
  const auto bob = bob_says("hi");
  bob_says("cancel");
  // alice's zone is one the zone database does not know (say, after a tzdata update),
  // and her timer is the earliest.
  store.database().exec("UPDATE people SET time_zone = 'Mars/Olympus' WHERE id = " + std::to_string(alice.value));
  bot::ScheduleEntry broken = *store.schedule().find("checkin", alice);
  broken.next_run_at = kNextCheckIn - std::chrono::hours{1};
  store.schedule().put(broken, rig.clock.now());

  CHECK(rig.run_at(kNextCheckIn) == 1);
  CHECK(rig.messages_containing("Time for your weekly check-in") == 1);
  CHECK(store.sessions().load(bob)->state.dialog == "checkin");
  CHECK(store.schedule().find("checkin", bob)->occurrence == "2026-W50");
  CHECK(bot::format_utc(store.schedule().find("checkin", alice)->next_run_at) ==
        bot::format_utc(kNextCheckIn + std::chrono::hours{1}));
  // Not tried again before the hour is up, and tried (and put off) again after it.
  CHECK(rig.run_at(kNextCheckIn + std::chrono::minutes{30}) == 0);
  CHECK(rig.run_at(kNextCheckIn + std::chrono::hours{1}) == 0);
  CHECK(bot::format_utc(store.schedule().find("checkin", alice)->next_run_at) ==
        bot::format_utc(kNextCheckIn + std::chrono::hours{2}));
}
