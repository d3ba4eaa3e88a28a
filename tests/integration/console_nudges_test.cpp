// Nudges and digests as terminal transcripts: the manager receives a reminder, acts on
// it with a numbered choice, and the learner is told. In-process, with a manual clock.
#include <catch2/catch.hpp>

#include <sstream>

#include "adapters/console/console_chat.hpp"
#include "bot/scheduler.hpp"
#include "dialogs/coach_conversation.hpp"
#include "storage/sqlite_store.hpp"
#include "tests/support/temp_dir.hpp"

using Catch::Matchers::Contains;

namespace {

bot::Instant utc(int y, int m, int d, int h, int min = 0) {
  return bot::Instant{std::chrono::sys_days{std::chrono::year{y} / std::chrono::month{static_cast<unsigned>(m)} /
                                            std::chrono::day{static_cast<unsigned>(d)}} +
                      std::chrono::hours{h} + std::chrono::minutes{min}};
}

struct Terminal {
  testing::TempDir dir;
  storage::SqliteStore store{{dir.file("nudges.db")}};
  dialogs::CoachConversation conversation;
  bot::ManualClock clock{utc(2026, 11, 23, 10)};  // Monday, 11:00 in Berlin
  bot::Engine engine{store, conversation, clock,
                     bot::EngineSettings{bot::Defaults{"Europe/Berlin", 1, 540}, std::chrono::hours{168}, {}, {}, {}, {},
                                         false}};
  bot::OutboxSender sender{store, clock, 5};
  bot::Scheduler scheduler{store, engine, clock, bot::SchedulerSettings{}};
  std::istringstream in;
  std::ostringstream out;
  adapters::console::ConsoleChat chat{engine, sender, clock, in, out, options()};

  adapters::console::ChatOptions options() {
    adapters::console::ChatOptions o;
    o.timers = [this] {
      scheduler.run_due();
      return scheduler.next_run();
    };
    return o;
  }
  // What the terminal printed since the last call.
  std::string said() {
    std::string s = out.str();
    out.str({});
    return s;
  }
  std::string type(const std::string& line) {
    chat.line(line);
    return said();
  }
  std::string at(bot::Instant t) {
    clock.set(t);
    chat.tick();
    return said();
  }
};

}  // namespace

TEST_CASE("A manager is reminded in the terminal, approves with a number, and the learner hears it") {
  Terminal t;
  t.chat.become("bob");
  t.type("cancel");  // bob has used the bot before
  t.chat.become("alice");
  t.type("cancel");
  t.type("setup");
  t.type("keep");
  t.type("1");          // Monday
  t.type("09:00");
  CHECK_THAT(t.type("bob"), Contains("bob"));
  // A plan with one goal, ready to submit.
  const auto alice = *t.store.people().find_by_identity({bot::Platform::console, "local", "alice"});
  bot::Plan plan;
  plan.person = alice.id;
  plan.period_start = "2026-07-01";
  plan.period_end = "2027-01-01";
  plan = t.store.plans().save(plan, t.clock.now());
  bot::Goal goal;
  goal.person = alice.id;
  goal.plan = plan.id;
  goal.statement = "Pass the CKA exam";
  t.store.goals().add(goal, t.clock.now());
  CHECK_THAT(t.type("submit"), Contains("Sent your plan to bob for review"));

  // Two working days later bob has not looked: he gets a reminder when he opens the chat.
  t.at(utc(2026, 11, 25, 10));
  const std::string bob_sees = t.type("/as bob");
  CHECK_THAT(bob_sees, Contains("alice sent you their learning plan") &&
                           Contains("A reminder: alice's learning plan is still waiting for your review") &&
                           Contains("[1] Approve"));
  CHECK_THAT(t.type("1"), Contains("You approved alice's learning plan"));
  CHECK_THAT(t.type("/as alice"), Contains("bob approved your learning plan"));
  // Decided: the second reminder never comes.
  t.at(utc(2026, 12, 1, 10));
  CHECK_THAT(t.type("/as bob"), !Contains("still waiting"));
}

TEST_CASE("The weekly check-in prompt appears in the terminal at its time, once") {
  Terminal t;
  t.chat.become("carol");
  t.type("cancel");
  CHECK_THAT(t.at(utc(2026, 11, 30, 7)), !Contains("check-in"));
  CHECK_THAT(t.at(utc(2026, 11, 30, 8)), Contains("Time for your weekly check-in!") && Contains("Overall, how far along"));
  CHECK_THAT(t.at(utc(2026, 11, 30, 9)), !Contains("Time for your weekly check-in"));
  CHECK_THAT(t.type("60"), Contains("What did you learn"));
}

TEST_CASE("A note to someone outside their sending window waits for the next allowed moment") {
  Terminal t;
  t.clock.set(utc(2026, 11, 23, 20));  // Monday 21:00 in Berlin: after the 20:00 window
  t.chat.become("bob");
  t.type("cancel");
  t.chat.become("alice");
  t.type("setup");
  t.type("keep");
  t.type("1");
  t.type("09:00");
  t.type("bob");
  CHECK_THAT(t.type("/as bob"), !Contains("named you as their manager"));
  CHECK_THAT(t.at(utc(2026, 11, 24, 6, 59)), !Contains("named you as their manager"));
  // Tuesday 08:00 in Berlin: bob, still at the terminal, sees it arrive.
  CHECK_THAT(t.at(utc(2026, 11, 24, 7)), Contains("named you as their manager"));
}
