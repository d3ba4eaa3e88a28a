#include "dialogs/coach_conversation.hpp"

#include "bot/local_time.hpp"
#include "bot/text.hpp"
#include "dialogs/commands.hpp"

namespace dialogs {

namespace {

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
  return nullptr;
}

bot::Transition CoachConversation::handle(const std::optional<bot::DialogState>& open, const bot::Input& input,
                                          const bot::Context& c) const {
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
    return dialog->resume(*open, c, "Welcome back! We were in the middle of your " + std::string{dialog->title()} + ".");
  }
  // The welcome starts setup unasked; a newcomer who answers it with a command gets
  // the command at once, and setup is offered again afterwards.
  if (dialog == &onboarding_ && !c.person.onboarded && open->data.value("/data/welcome"_json_pointer, false) &&
      input.kind == bot::Input::Kind::text && parse_command(input.text) == Command::checkin) {
    return fresh(input, c, {});
  }
  bot::Transition t = dialog->step(*open, input, c);
  if (t.next) return t;
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
    return reply(c, preface.empty() ? "Hi " + c.person.display_name + ", good to see you. Type *help* to see what I can do."
                                    : preface + "\nType *help* to see what I can do.");
  }
  if (input.kind != bot::Input::Kind::text) {
    // A click on a button of a dialog that has ended (or expired).
    bot::Transition t = reply(c, "That question is no longer open. Type *help* to see what I can do.");
    prepend(t, c, std::move(preface));
    return t;
  }

  const auto command = parse_command(input.text);
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

  switch (*command) {
    case Command::help: t = reply(c, help_text()); break;
    case Command::checkin: t = checkin_.start(c); break;
    case Command::plan: t = plan_.start(c); break;
    case Command::settings: t = settings_.start(c); break;
    case Command::goal: t = goal_.start(c); break;
    case Command::goals: t = reply(c, goals_overview(c)); break;
    case Command::submit: t = submit_plan(c); break;
    case Command::setup: t = onboarding_.start(c, "Let's go through your settings."); break;
    case Command::greeting:
      if (newcomer) {
        t = welcome(c);
        prepend(t, c, std::move(preface));
        return t;
      }
      t = reply(c, "Hi " + c.person.display_name + "! Type *checkin* for this week's check-in, or *help* for more.");
      break;
  }
  prepend(t, c, std::move(preface));
  if (!t.next && *command != Command::setup) return offer_onboarding(std::move(t), c);
  return t;
}

bot::Transition CoachConversation::welcome(const bot::Context& c) const {
  bot::Transition t = onboarding_.start(
      c, "Hi " + c.person.display_name +
             "! I'm Coachbot, your learning coach. I help you keep a learning plan with goals, check in once a "
             "week, and collect what you learn. What you tell me stays private unless you choose to share it.\n"
             "First, three quick settings.");
  if (t.next) t.next->data["data"]["welcome"] = true;
  return t;
}

bot::Transition CoachConversation::offer_onboarding(bot::Transition t, const bot::Context& c) const {
  if (c.person.onboarded || c.person.onboarding_offered) return t;
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
