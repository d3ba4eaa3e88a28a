#include "dialogs/onboarding_dialog.hpp"

#include "bot/local_time.hpp"
#include "bot/text.hpp"
#include "dialogs/plan_review.hpp"

namespace dialogs {

using nlohmann::json;

namespace {

bool is_keep(std::string_view text) {
  const std::string t = bot::lower(bot::trim(text));
  return t == "keep" || t == "ok" || t == "okay" || t == "yes" || t == "y";
}

// `check`, where "keep" accepts `kept`: what is set now or, after *back*, what was
// answered a moment ago.
Check keeping(nlohmann::json kept, Answer (*check)(std::string_view, const bot::Context&)) {
  return [kept = std::move(kept), check](std::string_view t, const bot::Context& c) {
    return is_keep(t) ? Answer::accept(kept) : check(t, c);
  };
}

}  // namespace

Answer check_time_zone(std::string_view text, const bot::Context& c) {
  if (is_keep(text)) return Answer::accept(c.person.prefs.time_zone);
  if (auto zone = bot::canonical_time_zone(text)) return Answer::accept(*zone);
  return Answer::refuse("\"" + std::string{bot::trim(text)} +
                        "\" is not a time zone I know. Use a Region/City name such as Europe/Berlin, "
                        "America/New_York or Asia/Kolkata, a city name, or a whole-hour offset like UTC+2.");
}

Answer check_day(std::string_view text, const bot::Context&) {
  const auto t = bot::trim(text);
  if (t.size() == 1 && t[0] >= '1' && t[0] <= '7') return Answer::accept(t[0] - '0');
  if (auto d = bot::parse_weekday(t)) return Answer::accept(*d);
  return Answer::refuse("Please name a weekday, like Monday or Thu.");
}

Answer check_time(std::string_view text, const bot::Context& c) {
  if (is_keep(text)) return Answer::accept(c.person.prefs.checkin_minute);
  const auto m = bot::parse_time_of_day(text);
  if (!m) return Answer::refuse("Please give a time of day like 09:30, 14:00 or 2pm.");
  // Outside the window the prompt would wait for the next opening, maybe a day later.
  if (!c.sending_window.contains(*m))
    return Answer::refuse("I send messages only " + c.sending_window.describe() + " your time, so I can't check in at " +
                          bot::format_time_of_day(*m) + ". Please pick a time in that range.");
  return Answer::accept(*m);
}

std::string check_time_help(const bot::Context& c) {
  std::string help = "A time of day in your own time zone, as 09:30, 14:00 or 2pm";
  if (c.sending_window.from_minute != c.sending_window.until_minute) help += ", " + c.sending_window.describe();
  return help + ".";
}

constexpr std::string_view kOwnManager = "You can't be your own manager. Mention them (like @bob), or type none.";

Answer check_manager(std::string_view text, const bot::Context& c) {
  const std::string t = bot::lower(bot::trim(text));
  if (t == "none" || t == "no" || t == "nobody" || t == "-") return Answer::accept("");
  if (t == "keep") {
    if (c.manager && !c.manager_handle.empty()) return Answer::accept(c.manager_handle);
    return Answer::refuse("You have no manager set yet. Mention them (like @bob), or type none.");
  }
  // In Slack, typing @Bob sends Bob's user id: the one name that reaches him.
  if (const std::string id = bot::mentioned_user(text); !id.empty()) {
    if (id == c.handle) return Answer::refuse(std::string{kOwnManager});
    if (id == c.bot_handle)
      return Answer::refuse("That's me, your coach. Mention your manager (like @bob), or type none.");
    return Answer::accept(id);
  }
  // A bare name would make a stranger of that name the manager, whom no message reaches.
  if (c.names_by_mention) {
    return Answer::refuse("Please @-mention them: type @ and pick them from the list, so that I know exactly who "
                          "you mean. Or type none.");
  }
  const std::string handle = bot::normalise_handle(text);
  if (handle.empty()) {
    return Answer::refuse("That doesn't look like a handle. Type their chat handle (letters, digits, . _ -), "
                          "like bob, or none.");
  }
  if (handle == bot::lower(c.handle)) return Answer::refuse(std::string{kOwnManager});
  return Answer::accept(handle);
}

std::optional<bot::Message> manager_named_note(const std::string& handle, const bot::Context& c) {
  // Console handles are stored lower case; Slack and Teams ids as they are.
  if (handle.empty() || (c.manager && (c.manager_handle == handle || bot::lower(c.manager_handle) == handle)))
    return std::nullopt;
  // A plan waiting for review follows them, and its request says they were named.
  if (c.plan && c.plan->status == bot::PlanStatus::submitted) return std::nullopt;
  return bot::Message::text(bot::Recipient::manager_of(c.person.id),
                            c.person.display_name +
                                " named you as their manager in Coachbot. You'll hear from me when they submit a "
                                "learning plan for your review or ask for your help; anything else only if they "
                                "choose to share it.");
}

std::string manager_as_named(const std::string& handle, const bot::Context& c) {
  return c.names_by_mention ? "<@" + handle + ">" : handle;
}

std::vector<Question> OnboardingDialog::questions(const json&, const json& answers, const bot::Context& c) const {
  // Keep means what is set now, or, after *back*, what was answered a moment ago.
  const auto& p = c.person.prefs;
  const std::string zone = answers.value("time_zone", p.time_zone);
  const int weekday = answers.value("checkin_weekday", p.checkin_weekday);
  const int minute = answers.value("checkin_minute", p.checkin_minute);
  std::vector<bot::Button> days;
  for (int d = 1; d <= 5; ++d) {
    const std::string name{bot::weekday_name(d)};
    days.push_back({"day", name, std::to_string(d), bot::ButtonStyle::normal});
  }
  const std::string day_name{bot::weekday_name(weekday)};
  days.push_back({"day", "Keep " + day_name, "keep", bot::ButtonStyle::primary});
  const std::string time = bot::format_time_of_day(minute);
  std::string manager_hint = "Who is your manager? Mention them (like @bob), or type *none*.";
  if (c.manager) manager_hint += "\nRight now it is " + c.manager->display_name + ".";
  return {
      {"time_zone",
       "Which time zone are you in? I have *" + zone + "*. Keep it, or type another (e.g. America/New_York).",
       "I use your time zone to check in with you at the right local time and to count weeks. Type a Region/City "
       "name from the IANA list (Europe/Berlin, Asia/Kolkata) or just a city.",
       false,
       {{"time_zone", "Keep " + zone, "keep", bot::ButtonStyle::primary}},
       keeping(zone, check_time_zone)},
      {"checkin_weekday", "Which day should I check in with you each week? I have *" + day_name + "*.",
       "Once a week I ask how your learning went: progress, what you learned, what's in the way. Pick the day "
       "that suits you; Saturday and Sunday work too if you type them.",
       false, days,
       keeping(weekday, check_day), show_weekday},
      {"checkin_minute", "At what local time on that day? I have *" + time + "*. Keep it, or type a time like 14:00.",
       check_time_help(c), false,
       {{"checkin_minute", "Keep " + time, "keep", bot::ButtonStyle::primary}},
       keeping(minute, check_time), show_time_of_day},
      {"manager", manager_hint,
       "Your manager hears from me only when you submit a plan for review or ask for their help. "
       "Your check-in answers and reflections stay private.",
       true, {}, check_manager},
  };
}

bot::Transition OnboardingDialog::finish(const json&, const json& a, const bot::Context& c) const {
  bot::UpdatePreferences prefs;
  prefs.time_zone = a.at("time_zone").get<std::string>();
  prefs.checkin_weekday = a.at("checkin_weekday").get<int>();
  prefs.checkin_minute = a.at("checkin_minute").get<int>();
  const std::string day{bot::weekday_name(*prefs.checkin_weekday)};
  const std::string time = bot::format_time_of_day(*prefs.checkin_minute);
  std::string text = "You're all set. I'll check in every *" + day + "* at *" + time + "* (" + *prefs.time_zone + ").";

  bot::Transition t{std::nullopt, {prefs}, {}};
  // A skipped manager question keeps whatever was set before.
  if (const auto& m = a.value("manager", json{}); m.is_string()) {
    const std::string handle = m.get<std::string>();
    t.effects.push_back(bot::SetManager{handle});
    if (handle.empty()) {
      text += "\nNo manager set; you can add one later with *setup*.";
    } else {
      text += "\nYour manager: *" + manager_as_named(handle, c) +
              "*. They hear from me when you submit your plan for review or ask for their help.";
      if (auto note = manager_named_note(handle, c)) t.messages.push_back(std::move(*note));
    }
    auto waiting = waiting_plan_after_manager_change(handle, c);
    for (auto& e : waiting.effects) t.effects.push_back(std::move(e));
    for (auto& w : waiting.messages) t.messages.push_back(std::move(w));
  }
  t.effects.push_back(bot::MarkOnboarded{});
  text += "\nType *help* to see what I can do, or *checkin* to try your first check-in.";
  t.messages.insert(t.messages.begin(), bot::Message::text(bot::Recipient::dm(c.person.id), text));
  return t;
}

std::string OnboardingDialog::cancelled_text() const {
  return "Okay, I stopped the setup and kept your settings as they were. Type *setup* whenever you like.";
}

}  // namespace dialogs
