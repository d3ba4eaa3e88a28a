// Plan submission and the manager's review, end to end through the engine on a real
// SQLite file: learner and manager are two people talking to the same bot.
#include <catch2/catch.hpp>

#include "bot/engine.hpp"
#include "dialogs/coach_conversation.hpp"
#include "storage/sqlite_store.hpp"
#include "tests/support/temp_dir.hpp"

using Catch::Matchers::Contains;

namespace {

struct Rig {
  testing::TempDir dir;
  storage::SqliteStore store{{dir.file("review.db")}};
  dialogs::CoachConversation conversation;
  bot::ManualClock clock{bot::Instant{std::chrono::sys_days{std::chrono::year{2026} / 11 / 23} + std::chrono::hours{9}}};
  bot::Engine engine{store, conversation, clock, bot::EngineSettings{bot::Defaults{"Europe/Berlin", 1, 540}, std::chrono::hours{168}, {}, {}, {}, {}, false}};

  bot::HandleResult send(const std::string& user, bot::EventKind kind, const std::string& text,
                         const std::string& action = {}, const std::string& value = {}) {
    bot::Event e;
    e.from = {bot::Platform::console, "local", user};
    e.display_name = user;
    e.kind = kind;
    e.text = text;
    e.action = action;
    e.value = value;
    return engine.handle(e);
  }
  std::vector<bot::Message> say(const std::string& user, const std::string& text) {
    return messages(send(user, bot::EventKind::text, text));
  }
  std::vector<bot::Message> click(const std::string& user, const bot::Button& b) {
    return messages(send(user, bot::EventKind::button, {}, b.id, b.value));
  }
  std::vector<bot::Message> messages(const bot::HandleResult& r) {
    std::vector<bot::Message> out;
    for (auto id : r.queued) out.push_back(store.outbox().find(id)->message);
    return out;
  }
  bot::PersonId id_of(const std::string& user) {
    return store.people().find_by_identity({bot::Platform::console, "local", user})->id;
  }
  bot::PlanStatus plan_status(const std::string& user) {
    return store.plans().current(id_of(user), "2026-11-23")->status;
  }

  // alice: onboarded with `manager`, a plan and one goal.
  void learner_with_plan(const std::string& manager) {
    for (const char* line : {"setup", "keep", "1", "keep"}) say("alice", line);
    say("alice", manager);
    for (const char* line : {"plan", "Run our incident reviews", "skip", "Reliability"}) say("alice", line);
    add_goal("alice", "Facilitate 3 incident reviews end to end");
  }
  // The reply to the last answer of the goal dialog.
  std::string add_goal(const std::string& user, const std::string& statement) {
    say(user, "goal");
    say(user, statement);
    for (const char* line : {"3 reviews facilitated", "skip", "skip", "Needed for the on-call lead role",
                             "end of Q1", "leadership", "facilitation"})
      say(user, line);
    return say(user, "done").at(0).plain_text();
  }
  bool review_reminder_pending(const std::string& user) {
    return store.schedule().find(std::string{bot::kTimerReviewReminder}, id_of(user)).has_value();
  }
};

}  // namespace

TEST_CASE("A submitted plan reaches the manager, who approves it, and the learner is told") {
  Rig rig;
  rig.learner_with_plan("bob");
  const auto sent = rig.say("alice", "submit");
  REQUIRE(sent.size() == 2);
  CHECK_THAT(sent[0].plain_text(), Contains("Sent your plan to bob"));
  const bot::Message& request = sent[1];
  CHECK(request.to == bot::Recipient::dm(rig.id_of("bob")));
  CHECK_THAT(request.plain_text(), Contains("alice sent you their learning plan (2026-H2)") &&
                                       Contains("Run our incident reviews") &&
                                       Contains("Facilitate 3 incident reviews end to end") && Contains("by 2027-03-31"));
  REQUIRE(request.buttons.size() == 2);
  CHECK(rig.plan_status("alice") == bot::PlanStatus::submitted);
  CHECK_THAT(rig.say("alice", "submit")[0].plain_text(), Contains("already waiting for review by bob"));

  // Someone who is not alice's manager cannot approve.
  CHECK_THAT(rig.click("mallory", request.buttons[0])[0].plain_text(), Contains("Only alice's manager"));
  CHECK(rig.plan_status("alice") == bot::PlanStatus::submitted);

  const auto approved = rig.click("bob", request.buttons[0]);
  REQUIRE(approved.size() == 2);
  CHECK_THAT(approved[0].plain_text(), Contains("You approved alice's learning plan"));
  // Both are new messages: the manager hears of every plan sent, and the decision is
  // the reply at the bottom of the chat (the button clicked shows what was chosen).
  CHECK_FALSE(request.update_key);
  CHECK_FALSE(approved[0].update_key);
  CHECK(approved[0].buttons.empty());
  CHECK(approved[1].to == bot::Recipient::dm(rig.id_of("alice")));
  CHECK_THAT(approved[1].plain_text(), Contains("bob approved your learning plan"));
  CHECK(rig.plan_status("alice") == bot::PlanStatus::approved);

  // A second click on the old button changes nothing.
  CHECK_THAT(rig.click("bob", request.buttons[0])[0].plain_text(), Contains("not waiting for review any more"));
  const auto reviews = rig.store.reviews().for_plan(rig.store.plans().current(rig.id_of("alice"), "2026-11-23")->id);
  REQUIRE(reviews.size() == 1);
  CHECK(reviews[0].reviewer == rig.id_of("bob"));
}

TEST_CASE("A manager finds the plans waiting for them with the team command, and approves from there") {
  Rig rig;
  CHECK_THAT(rig.say("bob", "team")[0].plain_text(), Contains("Nobody has named you as their manager yet"));
  rig.learner_with_plan("bob");
  const auto before = rig.say("bob", "team")[0];
  CHECK_THAT(before.plain_text(), Contains("Your team, 2026-W48 (1 person named you as their manager)") &&
                                      Contains("No plan waits for you.") &&
                                      Contains("Team check-ins, the weeks before this one*: W45 –"));
  CHECK(before.buttons.empty());

  rig.say("alice", "submit");
  const auto overview = rig.say("bob", "reviews")[0];
  CHECK(overview.to == bot::Recipient::dm(rig.id_of("bob")));
  CHECK_THAT(overview.plain_text(), Contains("Waiting for your review") && Contains("alice's learning plan") &&
                                        Contains("Asked for your help, last 7 days") && Contains("Nobody."));
  REQUIRE(overview.buttons.size() == 3);
  CHECK(overview.buttons[0].label == "Approve alice's plan");
  // Nobody else sees alice's plan in their team.
  CHECK_THAT(rig.say("mallory", "team")[0].plain_text(), Contains("Nobody has named you"));

  const auto approved = rig.click("bob", overview.buttons[0]);
  CHECK_THAT(approved[0].plain_text(), Contains("You approved alice's learning plan"));
  CHECK(rig.plan_status("alice") == bot::PlanStatus::approved);
  CHECK_THAT(rig.say("bob", "team")[0].plain_text(), Contains("No plan waits for you."));
}

TEST_CASE("Requested changes carry the manager's comment, the learner edits and resubmits") {
  Rig rig;
  rig.learner_with_plan("bob");
  const bot::Message request = rig.say("alice", "submit")[1];
  // bob is in the middle of his own check-in when he clicks.
  rig.say("bob", "checkin");
  const auto asked = rig.click("bob", request.buttons[1]);
  CHECK_THAT(asked[0].plain_text(), Contains("closed your open check-in") && Contains("What should alice change?"));
  const auto sent = rig.say("bob", "Please add a goal about writing postmortems");
  REQUIRE(sent.size() == 2);
  CHECK_THAT(sent[1].plain_text(), Contains("bob asked for changes") && Contains("writing postmortems") &&
                                       Contains("*submit*"));
  CHECK(rig.plan_status("alice") == bot::PlanStatus::changes_requested);

  // Looking through the plan changes nothing; editing it makes it a draft.
  for (const char* line : {"plan", "skip", "skip", "skip"}) rig.say("alice", line);
  CHECK(rig.plan_status("alice") == bot::PlanStatus::changes_requested);
  for (const char* line : {"plan", "Lead incident reviews and write postmortems", "skip", "skip"}) rig.say("alice", line);
  CHECK(rig.plan_status("alice") == bot::PlanStatus::draft);
  const auto again = rig.say("alice", "submit");
  REQUIRE(again.size() == 2);
  CHECK(rig.plan_status("alice") == bot::PlanStatus::submitted);
}

TEST_CASE("Without a manager the learner is told how to set one and may approve the plan themselves") {
  Rig rig;
  rig.learner_with_plan("none");
  const auto reply = rig.say("alice", "submit");
  REQUIRE(reply.size() == 1);
  CHECK_THAT(reply[0].plain_text(), Contains("no manager set") && Contains("*setup*"));
  REQUIRE(reply[0].buttons.size() == 1);
  CHECK_THAT(rig.click("alice", reply[0].buttons[0])[0].plain_text(), Contains("Approved your own plan"));
  CHECK(rig.plan_status("alice") == bot::PlanStatus::approved);
}

TEST_CASE("A plan waiting for review follows the learner's new manager, and with none the learner may approve it") {
  Rig rig;
  rig.learner_with_plan("bob");
  const bot::Message to_bob = rig.say("alice", "submit")[1];
  const auto reminder = [&] {
    return rig.store.schedule().find(std::string{bot::kTimerReviewReminder}, rig.id_of("alice"));
  };
  REQUIRE(reminder());
  const std::string bobs_occurrence = reminder()->occurrence;

  rig.clock.advance(std::chrono::hours{30});
  for (const char* line : {"settings", "manager"}) rig.say("alice", line);
  const auto moved = rig.say("alice", "carol");
  // carol's reminders count from when she got it, not from when bob did.
  REQUIRE(reminder());
  CHECK(reminder()->occurrence != bobs_occurrence);
  CHECK(reminder()->count == 0);
  CHECK(reminder()->next_run_at > rig.clock.now() + std::chrono::hours{24});
  // alice's one reply, then the review request, which is carol's only message: it says
  // she was named (no separate note).
  REQUIRE(moved.size() == 2);
  CHECK_THAT(moved[0].plain_text(), Contains("Saved: your manager is carol") && Contains("now goes to carol instead"));
  const bot::Message& to_carol = moved[1];
  CHECK(to_carol.to == bot::Recipient::dm(rig.id_of("carol")));
  CHECK_THAT(to_carol.plain_text(), Contains("alice named you as their manager and sent you their learning plan"));
  REQUIRE(to_carol.buttons.size() == 2);
  // bob's old button no longer decides it.
  CHECK_THAT(rig.click("bob", to_bob.buttons[0])[0].plain_text(),
             Contains("Only alice's manager") && Contains("isn't you now"));
  CHECK(rig.plan_status("alice") == bot::PlanStatus::submitted);

  for (const char* line : {"settings", "manager"}) rig.say("alice", line);
  const auto removed = rig.say("alice", "none");
  REQUIRE(removed.size() == 1);
  CHECK_THAT(removed[0].plain_text(), Contains("Saved: no manager") && Contains("was waiting for review") &&
                                          Contains("approve it yourself"));
  REQUIRE(removed[0].buttons.size() == 1);
  CHECK_THAT(rig.click("carol", to_carol.buttons[0])[0].plain_text(),
             Contains("alice has no manager in Coachbot now") && Contains("Nothing for you to do"));
  // `submit` offers the same, rather than saying it waits for nobody.
  CHECK_THAT(rig.say("alice", "submit")[0].plain_text(), Contains("no manager set"));
  CHECK_THAT(rig.click("alice", removed[0].buttons[0])[0].plain_text(), Contains("Approved your own plan"));
  CHECK(rig.plan_status("alice") == bot::PlanStatus::approved);
}

TEST_CASE("When the manager deletes their data, a plan waiting for them is offered to its owner to approve") {
  Rig rig;
  rig.learner_with_plan("bob");
  rig.say("alice", "submit");
  rig.say("bob", "delete my data");
  const auto gone = rig.send("bob", bot::EventKind::text, "delete");
  REQUIRE(gone.status == bot::Handled::done);
  const auto told = rig.messages(gone);
  REQUIRE(told.size() == 2);
  CHECK_THAT(told[0].plain_text(), Contains("deleted"));
  const bot::Message& offer = told[1];
  CHECK(offer.to == bot::Recipient::dm(rig.id_of("alice")));
  CHECK_THAT(offer.plain_text(), Contains("Your manager is no longer in Coachbot") && Contains("Approve it yourself"));
  CHECK_FALSE(offer.answer);
  REQUIRE(offer.buttons.size() == 1);
  CHECK(rig.plan_status("alice") == bot::PlanStatus::submitted);

  // The review reminder, when it comes, goes to alice, since nobody else can decide;
  // fired on a Saturday, it waits for her Monday morning.
  const auto reminder = rig.store.schedule().find(std::string{bot::kTimerReviewReminder}, rig.id_of("alice"));
  REQUIRE(reminder);
  rig.clock.advance(std::chrono::hours{24 * 5});
  bot::Event timer;
  timer.from = {bot::Platform::console, "local", "alice"};
  timer.kind = bot::EventKind::timer;
  timer.action = std::string{bot::kTimerReviewReminder};
  timer.value = reminder->occurrence;
  timer.text.push_back('1');  // the first reminder (an assignment trips g++ 12's -Wstringop-overflow)
  const auto fired = rig.engine.handle(timer);
  const auto reminded = rig.messages(fired);
  REQUIRE(reminded.size() == 1);
  CHECK(rig.store.outbox().find(fired.queued[0])->next_attempt_at ==
        bot::Instant{std::chrono::sys_days{std::chrono::year{2026} / 11 / 30} + std::chrono::hours{7}});
  CHECK(reminded[0].to == bot::Recipient::dm(rig.id_of("alice")));
  CHECK_THAT(reminded[0].plain_text(), Contains("no manager to decide it"));

  CHECK_THAT(rig.click("alice", offer.buttons[0])[0].plain_text(), Contains("Approved your own plan"));
  CHECK(rig.plan_status("alice") == bot::PlanStatus::approved);
}

TEST_CASE("A manager who deletes their data and had no plan waiting leaves their reports undisturbed") {
  Rig rig;
  rig.learner_with_plan("bob");
  rig.say("bob", "delete my data");
  const auto told = rig.messages(rig.send("bob", bot::EventKind::text, "delete"));
  REQUIRE(told.size() == 1);
  CHECK_THAT(told[0].plain_text(), Contains("deleted"));
  CHECK(rig.plan_status("alice") == bot::PlanStatus::draft);
}

TEST_CASE("Submitting needs a plan with at least one goal") {
  Rig rig;
  CHECK_THAT(rig.say("carol", "submit")[0].plain_text(), Contains("Start one with *plan*"));
  for (const char* line : {"plan", "Learn Go", "skip", "skip"}) rig.say("carol", line);
  CHECK_THAT(rig.say("carol", "submit")[0].plain_text(), Contains("Add at least one goal"));
}

TEST_CASE("Goals added before the plan existed become part of it and can be submitted") {
  Rig rig;
  for (const char* line : {"setup", "keep", "1", "keep", "bob"}) rig.say("alice", line);
  rig.add_goal("alice", "Facilitate 3 incident reviews end to end");
  rig.add_goal("alice", "Write the postmortem template");
  rig.say("alice", "plan");
  rig.say("alice", "Run our incident reviews");
  rig.say("alice", "skip");
  const auto saved = rig.say("alice", "Reliability");
  CHECK_THAT(saved.at(0).plain_text(), Contains("Your goals so far are part of it"));
  const auto plan = rig.store.plans().current(rig.id_of("alice"), "2026-11-23");
  REQUIRE(plan);
  for (const auto& g : rig.store.goals().active_for(rig.id_of("alice"))) CHECK(g.plan == plan->id);

  const auto sent = rig.say("alice", "submit");
  REQUIRE(sent.size() == 2);
  CHECK_THAT(sent[0].plain_text(), Contains("Sent your plan to bob"));
  CHECK_THAT(sent[1].plain_text(), Contains("Facilitate 3 incident reviews end to end") &&
                                       Contains("Write the postmortem template"));
}

TEST_CASE("A goal added to an approved or waiting plan sends it back for a new review") {
  Rig rig;
  rig.learner_with_plan("bob");
  const bot::Message request = rig.say("alice", "submit")[1];
  CHECK(rig.review_reminder_pending("alice"));

  SECTION("waiting for review: back to draft, and bob is not reminded about the old version") {
    const auto reply = rig.add_goal("alice", "Write the postmortem template");
    CHECK_THAT(reply, Contains("draft again and needs a new review") && Contains("*submit*"));
    CHECK(rig.plan_status("alice") == bot::PlanStatus::draft);
    CHECK_FALSE(rig.review_reminder_pending("alice"));
    CHECK_THAT(rig.click("bob", request.buttons[0])[0].plain_text(), Contains("not waiting for review any more"));
  }
  SECTION("approved: back to draft, and the new submission shows both goals") {
    rig.click("bob", request.buttons[0]);
    REQUIRE(rig.plan_status("alice") == bot::PlanStatus::approved);
    const auto reply = rig.add_goal("alice", "Write the postmortem template");
    CHECK_THAT(reply, Contains("draft again and needs a new review"));
    CHECK(rig.plan_status("alice") == bot::PlanStatus::draft);
    const auto again = rig.say("alice", "submit");
    REQUIRE(again.size() == 2);
    CHECK_THAT(again[1].plain_text(), Contains("Facilitate 3 incident reviews end to end") &&
                                          Contains("Write the postmortem template"));
    CHECK(rig.plan_status("alice") == bot::PlanStatus::submitted);
  }
}

TEST_CASE("A forged review button for a plan that does not exist is answered, nothing changes") {
  Rig rig;
  const bot::Button forged{std::string{bot::kPlanReviewAction}, "Approve", "approve:999", bot::ButtonStyle::primary};
  CHECK_THAT(rig.click("bob", forged)[0].plain_text(), Contains("no longer exists"));
  const bot::Button garbage{std::string{bot::kPlanReviewAction}, "Approve", "approve:12abc", bot::ButtonStyle::primary};
  CHECK_THAT(rig.click("bob", garbage)[0].plain_text(), Contains("no longer exists"));
}
