#include "dialogs/coach_conversation.hpp"

#include <algorithm>
#include <charconv>

#include "bot/local_time.hpp"
#include "bot/text.hpp"
#include "dialogs/commands.hpp"
#include "dialogs/digest.hpp"
#include "dialogs/kudos.hpp"

namespace dialogs {

namespace {

// A person known only by their platform id (a Teams install names nobody, so the name
// is their Entra object id) is not greeted with it. A typed console name is both name
// and handle, but it has no digits.
std::string hello_to(const bot::Context& c) {
  const std::string& name = c.person.display_name;
  const bool an_id = name == c.handle && std::any_of(name.begin(), name.end(), [](char ch) { return ch >= '0' && ch <= '9'; });
  return name.empty() || an_id ? std::string{"Hi"} : "Hi " + name;
}

bot::Transition reply(const bot::Context& c, std::string text) {
  return bot::Transition{std::nullopt, {}, {bot::Message::text(bot::Recipient::dm(c.person.id), std::move(text))}};
}

void prepend(bot::Transition& t, const bot::Context& c, std::string text) {
  if (text.empty()) return;
  t.messages.insert(t.messages.begin(), bot::Message::text(bot::Recipient::dm(c.person.id), std::move(text)));
}

std::string days_ago(bot::Instant then, bot::Instant now) {
  const auto days = std::chrono::floor<std::chrono::days>(now - then).count();
  if (days <= 1) return "yesterday";
  return std::to_string(days) + " days ago";
}

}  // namespace

const Questionnaire* CoachConversation::find(std::string_view name) const {
  if (name == onboarding_.name()) return &onboarding_;
  if (name == checkin_.name()) return &checkin_;
  if (name == plan_.name()) return &plan_;
  if (name == goal_.name()) return &goal_;
  if (name == review_comment_.name()) return &review_comment_;
  if (name == settings_.name()) return &settings_;
  if (name == reflection_.name()) return &reflection_;
  if (name == follow_up_.name()) return &follow_up_;
  if (name == evidence_.name()) return &evidence_;
  if (name == achievement_.name()) return &achievement_;
  if (name == delete_data_.name()) return &delete_data_;
  return nullptr;
}

bot::Transition CoachConversation::handle(const std::optional<bot::DialogState>& open, const bot::Input& input,
                                          const bot::Context& c) const {
  if (input.kind == bot::Input::Kind::timer) return on_timer(open, input, c);
  return follow_up(route(open, input, c), input, c);
}

bot::Transition CoachConversation::on_timer(const std::optional<bot::DialogState>& open, const bot::Input& input,
                                            const bot::Context& c) const {
  // A timer never discards what the person is doing: an open dialog stays open, and
  // the prompt either starts the check-in (when they are free) or points to it.
  bot::Transition quiet{open, {}, {}};
  const bool paused = c.person.prefs.paused_until && c.today <= *c.person.prefs.paused_until;
  if (input.action == bot::kTimerCheckIn || input.action == bot::kTimerReminder) {
    const bool reminder = input.action == bot::kTimerReminder;
    // Answered already, paused, or (a late reminder) the week it was about is over.
    if (c.this_week || paused || (reminder && input.value != c.iso_week)) return quiet;
    const std::string preface = reminder ? "A reminder: your check-in for *" + c.iso_week + "* is still open."
                                         : "Time for your weekly check-in!";
    if (!open) return checkin_.start(c, preface);
    if (open->dialog == checkin_.name()) return checkin_.resume(*open, c, preface);
    bot::Transition t = reply(c, preface + " When you're done here, type *checkin*.");
    t.next = open;
    return t;
  }
  if (input.action == bot::kTimerReviewReminder) {
    int number = 1;
    std::from_chars(input.text.data(), input.text.data() + input.text.size(), number);
    bot::Transition t = review_reminder(input.value, number, c);
    t.next = open;
    return t;
  }
  if (input.action == bot::kTimerDigest) {
    bot::Transition t = manager_digest(c);
    t.next = open;
    return t;
  }
  if (input.action == bot::kManagerGone || input.action == bot::kKudosWithdrawn) {
    bot::Transition t = input.action == bot::kManagerGone ? manager_gone(c) : kudos_withdrawn(c);
    t.next = open;
    return t;
  }
  if (input.action == bot::kTimerFollowUp) {
    // Asked when the person is free; otherwise after their dialog, as when they write.
    if (open || !c.follow_up) return quiet;
    return follow_up_.begin(c);
  }
  return quiet;
}

bot::Transition CoachConversation::follow_up(bot::Transition t, const bot::Input& input, const bot::Context& c) const {
  // Asked once the person is free: after what they came for, never in the middle of a
  // dialog, and not on merely opening the app.
  if (t.next || !c.follow_up || input.kind == bot::Input::Kind::opened) return t;
  for (const auto& e : t.effects)
    if (std::holds_alternative<bot::EraseMe>(e)) return t;
  bot::Transition f = follow_up_.begin(c);
  t.next = std::move(f.next);
  for (auto& e : f.effects) t.effects.push_back(std::move(e));
  for (auto& m : f.messages) t.messages.push_back(std::move(m));
  return t;
}

bot::Transition CoachConversation::after_checkin(bot::Transition t, const bot::Context& c) const {
  const bot::CheckIn* checkin = nullptr;
  for (const auto& e : t.effects)
    if (const auto* r = std::get_if<bot::RecordCheckIn>(&e)) checkin = &r->checkin;
  if (!checkin) return t;  // cancelled
  std::vector<bot::Goal> achieved;
  for (const auto& p : checkin->goals) {
    if (p.progress < 100) continue;
    for (const auto& g : c.goals)
      if (g.id == p.goal && g.progress < 100) achieved.push_back(g);
  }
  bot::Transition next = achieved.empty()
                             ? reflection_.start(c, {}, ReflectionDialog::after_checkin(checkin->learned))
                             : achievement_.start(c, {}, AchievementDialog::for_goals(achieved, checkin->learned, c));
  t.next = std::move(next.next);
  for (auto& e : next.effects) t.effects.push_back(std::move(e));
  for (auto& m : next.messages) t.messages.push_back(std::move(m));
  return t;
}

bot::Transition CoachConversation::route(const std::optional<bot::DialogState>& open, const bot::Input& input,
                                         const bot::Context& c) const {
  if (input.kind == bot::Input::Kind::button && input.action == bot::kCommandAction) {
    // A click cannot be an answer to a free-text question, so the command always runs;
    // a dialog it interrupts is closed, and the note says so.
    const bot::Input typed = bot::Input::typed(input.value);
    const Questionnaire* interrupted = open ? find(open->dialog) : nullptr;
    const auto command = parse_command_line(input.value);
    if (interrupted && command && command->command == Command::team) return alongside(*open, *interrupted, c);
    if (!interrupted || !command || command->command == Command::help) return route(open, typed, c);
    return fresh(typed, c, "(I closed your open " + std::string{interrupted->title()} + ".)");
  }
  if (input.kind == bot::Input::Kind::text && !bot::is_valid_utf8(input.text)) {
    // Keep the dialog where it is: re-asking is better than guessing at broken text.
    bot::Transition t = reply(c, "I couldn't read that message (it is not valid UTF-8 text). Please type it again.");
    t.next = open;
    return t;
  }
  if (input.kind == bot::Input::Kind::button && input.action == bot::kPlanReviewAction) {
    // Review buttons work whatever dialog is open; the open one stays where it was
    // unless the click starts the comment question.
    bot::Transition t = review_click(input, c, review_comment_);
    if (!t.next) {
      t.next = open;
    } else if (open) {
      const Questionnaire* replaced = find(open->dialog);
      prepend(t, c, "(I closed your open " + std::string{replaced ? replaced->title() : "conversation"} +
                        " to take your review comment.)");
    }
    return t;
  }
  if (input.kind == bot::Input::Kind::button && input.action == bot::kKudosAction) {
    bot::Transition t = kudos_click(input, c);
    t.next = open;
    return t;
  }
  if (!open) return fresh(input, c, {});

  const Questionnaire* dialog = find(open->dialog);
  if (!dialog || open->schema_version != dialog->schema_version()) {
    return fresh(input, c, "I couldn't continue our earlier conversation after an update, so I closed it.");
  }
  if (c.session_updated_at && c.now - *c.session_updated_at > c.session_expiry) {
    return fresh(input, c,
                 "Your " + std::string{dialog->title()} + " from " + days_ago(*c.session_updated_at, c.now) +
                     " had expired, so I closed it without saving.");
  }
  if (input.kind == bot::Input::Kind::opened) {
    // Looking at the app again is not a request: the question is in the chat already.
    if (input.action == bot::kOpenedTab) return bot::Transition{open, {}, {}};
    return dialog->resume(*open, c, "Welcome back! We were in the middle of your " + std::string{dialog->title()} + ".");
  }
  // The welcome starts setup unasked; a newcomer who answers it with a command (they
  // came for a check-in, a goal, their data) gets the command at once, and setup is
  // offered again afterwards. Help is about the question; setup is this.
  if (dialog == &onboarding_ && !c.person.onboarded && open->data.value("/data/welcome"_json_pointer, false) &&
      input.kind == bot::Input::Kind::text) {
    if (const auto command = parse_command_line(input.text);
        command && command->command != Command::help && command->command != Command::greeting &&
        command->command != Command::setup)
      return fresh(input, c, {});
  }
  if (input.kind == bot::Input::Kind::text) {
    // A command where it cannot be an answer ("checkin" at the reflection offer) runs,
    // instead of trapping the person in a re-ask.
    const auto command = parse_command_line(input.text);
    if (command && command->command != Command::help && command->command != Command::greeting &&
        dialog->yields_to(*open, input.text, c)) {
      if (command->command == Command::team) return alongside(*open, *dialog, c);
      return fresh(input, c, "(I closed your open " + std::string{dialog->title()} + ".)");
    }
  }
  bot::Transition t = dialog->step(*open, input, c);
  if (t.next) return t;
  if (dialog == &checkin_) {
    t = after_checkin(std::move(t), c);
    if (t.next) return t;
  }
  if (dialog != &onboarding_) return offer_onboarding(std::move(t), c);
  // Setup cancelled by a newcomer: they know where it is now, don't push it again.
  if (!c.person.onboarded) t.effects.push_back(bot::MarkOnboardingOffered{});
  return t;
}

bot::Transition CoachConversation::fresh(const bot::Input& input, const bot::Context& c, std::string preface) const {
  const bool newcomer = !c.person.onboarded && !c.person.onboarding_offered;
  if (input.kind == bot::Input::Kind::opened) {
    if (newcomer) {
      bot::Transition t = welcome(c);
      prepend(t, c, std::move(preface));
      return t;
    }
    // Slack says so each time someone opens the app's Home or Messages tab: a greeting
    // every time would be noise. What closed a dialog is still said.
    if (input.action == bot::kOpenedTab && preface.empty()) return {};
    return reply(c, preface.empty() ? hello_to(c) + ", good to see you. Type *help* to see what I can do."
                                    : preface + "\nType *help* to see what I can do.");
  }
  if (input.kind != bot::Input::Kind::text) {
    // A click on a button, or a form sent, of a dialog that has ended (or expired).
    bot::Transition t = reply(c, input.kind == bot::Input::Kind::form
                                     ? "That form is no longer open, so nothing in it was saved. Type *help* to see "
                                       "what I can do."
                                     : "That question is no longer open. Type *help* to see what I can do.");
    prepend(t, c, std::move(preface));
    t.declined = true;
    return t;
  }

  const auto command = parse_command_line(input.text);
  bot::Transition t;
  if (!command) {
    if (newcomer) {
      t = welcome(c);
      prepend(t, c, std::move(preface));
      return t;
    }
    const std::string word = bot::lower(bot::trim(input.text));
    if (word == "cancel" || word == "back" || word == "skip") {
      t = reply(c, "There's no question open right now, so there is nothing to " + word + ". Type *help* for what I can do.");
    } else {
      std::string text = "Sorry, I don't know \"" + bot::truncate_utf8(bot::trim(input.text), 60) + "\".";
      if (auto s = suggest_command(input.text)) text += " Did you mean *" + std::string{*s} + "*?";
      t = reply(c, text + "\n" + help_text());
    }
    prepend(t, c, std::move(preface));
    return t;
  }

  if (command->command == Command::greeting && newcomer) {
    t = welcome(c);
    prepend(t, c, std::move(preface));
    return t;
  }
  t = run(*command, c);
  prepend(t, c, std::move(preface));
  // Someone about to delete their data is not offered setup.
  if (!t.next && command->command != Command::setup && command->command != Command::delete_data)
    return offer_onboarding(std::move(t), c);
  return t;
}

bot::Transition CoachConversation::alongside(const bot::DialogState& open, const Questionnaire& dialog,
                                             const bot::Context& c) const {
  // Only a look: the open dialog stays as it was. Its question is not asked again here,
  // because one reply carries one set of buttons, and these are the review buttons.
  bot::Transition t = team_overview(c);
  t.messages.push_back(bot::Message::text(bot::Recipient::dm(c.person.id),
                                          "(Your " + std::string{dialog.title()} +
                                              " is still open: answer its last question, or type *cancel*.)"));
  t.next = open;
  return t;
}

bool CoachConversation::needs_team(const bot::Input& input) const {
  std::optional<Command> command;
  if (input.kind == bot::Input::Kind::text) command = parse_command(input.text);
  else if (input.kind == bot::Input::Kind::button && input.action == bot::kCommandAction) command = parse_command(input.value);
  return command == Command::team;
}

bot::Transition CoachConversation::run(const CommandLine& command, const bot::Context& c) const {
  switch (command.command) {
    case Command::help: return reply(c, help_text());
    case Command::checkin: return checkin_.start(c);
    case Command::edit_checkin:
      if (!c.this_week) return reply(c, "You haven't checked in this week yet. Type *checkin* to start.");
      return checkin_.start(c, {}, CheckInDialog::edit_seed(*c.this_week));
    case Command::reflect: return reflection_.start(c);
    case Command::save: {
      if (command.argument.empty()) return evidence_.start(c);
      if (const Answer a = evidence_text(command.argument); !a.ok()) return reply(c, a.problem);
      return evidence_.start(c, {}, EvidenceDialog::with_content(command.argument));
    }
    case Command::plan: return plan_.start(c);
    case Command::settings: return settings_.start(c);
    case Command::goal: return goal_.start(c);
    case Command::goals: return reply(c, goals_overview(c));
    case Command::submit: return submit_plan(c);
    case Command::team: return team_overview(c);
    case Command::export_data: {
      bot::Transition t = reply(c, "Here is your whole record as a portfolio: plans, goals, check-ins (every "
                                   "version), reflections, evidence, achievements and reviews. Only you got this.");
      t.effects.push_back(bot::AttachExport{});
      return t;
    }
    case Command::delete_data: return delete_data_.start(c);
    case Command::setup: return onboarding_.start(c, "Let's go through your settings.");
    case Command::greeting:
      return reply(c, hello_to(c) + "! Type *checkin* for this week's check-in, or *help* for more.");
  }
  return reply(c, help_text());
}

bot::Transition CoachConversation::welcome(const bot::Context& c) const {
  bot::Transition t = onboarding_.start(
      c, hello_to(c) +
             "! I'm Coachbot, your learning coach. I help you keep a learning plan with goals, check in once a "
             "week, and collect what you learn. What you tell me stays private unless you choose to share it.\n"
             "First, three quick settings.");
  if (t.next) t.next->data["data"]["welcome"] = true;
  return t;
}

bot::Transition CoachConversation::offer_onboarding(bot::Transition t, const bot::Context& c) const {
  if (c.person.onboarded || c.person.onboarding_offered) return t;
  // Nobody is left to set up once they deleted their data.
  for (const auto& e : t.effects)
    if (std::holds_alternative<bot::EraseMe>(e)) return t;
  const auto& p = c.person.prefs;
  t.messages.push_back(bot::Message::text(
      bot::Recipient::dm(c.person.id),
      "By the way, I'm using *" + p.time_zone + "* and a weekly check-in on *" +
          std::string{bot::weekday_name(p.checkin_weekday)} + "* at *" + bot::format_time_of_day(p.checkin_minute) +
          "*. Type *setup* to change that and tell me who your manager is."));
  t.effects.push_back(bot::MarkOnboardingOffered{});
  return t;
}

}  // namespace dialogs
