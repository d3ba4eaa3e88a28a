#include "dialogs/settings_dialog.hpp"

#include "bot/local_time.hpp"
#include "bot/text.hpp"
#include "dialogs/plan_review.hpp"
#include "dialogs/onboarding_dialog.hpp"
#include "dialogs/smart_rules.hpp"

namespace dialogs {

using nlohmann::json;

namespace {

constexpr bot::ItemKind kKinds[] = {bot::ItemKind::checkins, bot::ItemKind::reflections, bot::ItemKind::evidence,
                                    bot::ItemKind::achievements};

std::string_view kind_label(bot::ItemKind k) {
  switch (k) {
    case bot::ItemKind::checkins: return "check-in answers";
    case bot::ItemKind::reflections: return "reflections";
    case bot::ItemKind::evidence: return "portfolio evidence";
    case bot::ItemKind::achievements: return "achievements";
  }
  return "";
}

std::string_view level_label(bot::Visibility v) {
  switch (v) {
    case bot::Visibility::owner: return "only you";
    case bot::Visibility::manager: return "you and your manager";
    case bot::Visibility::team: return "your manager and your team";
  }
  return "";
}

Answer check_pause(std::string_view text, const bot::Context& c) {
  const std::string t = bot::lower(bot::trim(text));
  if (t == "resume" || t == "none" || t == "no" || t == "off") return Answer::accept("");
  const auto today = bot::parse_iso_date(c.today);
  if (!today) return Answer::refuse("I can't tell today's date; please try again later.");
  const auto r = smart::parse_target_date(text, *today);
  if (!r.date) return Answer::refuse(r.problem);
  return Answer::accept(smart::format_date(*r.date));
}

Answer check_budget(std::string_view text, const bot::Context&) {
  std::string t = bot::lower(bot::trim(text));
  if (t == "none" || t == "no") return Answer::accept(0);
  if (t.ends_with('h')) t.pop_back();
  Answer a = whole_number(t, 0, 40);
  if (!a.ok()) return Answer::refuse("I need the hours per week as a whole number from 0 to 40 (0 removes the budget).");
  return Answer::accept(a.value.get<int>() * 60);
}

Answer check_team(std::string_view text, const bot::Context&) {
  const std::string t{bot::trim(text)};
  if (bot::lower(t) == "none") return Answer::accept("");
  return short_text(t, 60, "your team's name");
}

Answer check_choice(std::string_view text, std::initializer_list<std::string_view> allowed, std::string why) {
  const std::string t = bot::lower(bot::trim(text));
  for (auto a : allowed)
    if (t == a) return Answer::accept(t);
  return Answer::refuse(std::move(why));
}

}  // namespace

std::string settings_summary(const bot::Context& c) {
  const auto& p = c.person.prefs;
  std::string text = "Your settings:\n- Time zone: " + p.time_zone + "\n- Weekly check-in: " +
                     std::string{bot::weekday_name(p.checkin_weekday)} + " at " + bot::format_time_of_day(p.checkin_minute);
  text += "\n- Paused: " + (p.paused_until ? "until " + *p.paused_until : std::string{"no"});
  text += "\n- Weekly learning-time budget: " + (p.weekly_budget_minutes ? bot::format_hours(*p.weekly_budget_minutes) : std::string{"none"});
  text += "\n- Manager: " + (c.manager ? c.manager->display_name : std::string{"none"});
  text += "\n- Team: " + c.person.team.value_or("none");
  for (auto k : kKinds)
    text += "\n- Who sees your " + std::string{kind_label(k)} + ": " + std::string{level_label(p.visibility.of(k))};
  return text;
}

std::vector<Question> SettingsDialog::questions(const json&, const json& a, const bot::Context& c) const {
  std::vector<Question> qs{
      {"what", settings_summary(c) + "\nWhat would you like to change?",
       "Pick a setting; you can change one at a time and run *settings* again for more.", false,
       {{"setting", "Time zone", "time_zone", bot::ButtonStyle::normal},
        {"setting", "Check-in day and time", "checkin", bot::ButtonStyle::normal},
        {"setting", "Pause check-ins", "pause", bot::ButtonStyle::normal},
        {"setting", "Learning budget", "budget", bot::ButtonStyle::normal},
        {"setting", "Manager", "manager", bot::ButtonStyle::normal},
        {"setting", "Team", "team", bot::ButtonStyle::normal},
        {"setting", "Sharing", "sharing", bot::ButtonStyle::normal}},
       [](std::string_view t, const bot::Context&) {
         return check_choice(t, {"time_zone", "checkin", "pause", "budget", "manager", "team", "sharing"},
                             "Please pick one of the settings.");
       }},
  };
  const auto what = a.find("what");
  if (what == a.end()) return qs;
  const std::string w = what->get<std::string>();
  if (w == "time_zone") {
    qs.push_back({"time_zone", "Which time zone? Type a Region/City name or a city.", "For example Europe/Berlin.", false,
                  {}, check_time_zone});
  } else if (w == "checkin") {
    std::vector<bot::Button> days;
    for (int d = 1; d <= 5; ++d) days.push_back({"day", std::string{bot::weekday_name(d)}, std::to_string(d), bot::ButtonStyle::normal});
    qs.push_back({"checkin_weekday", "Which day?", "Saturday and Sunday work too if you type them.", false, days, check_day, show_weekday});
    qs.push_back({"checkin_minute", "At what local time? Like 09:30 or 2pm.", check_time_help(c), false, {}, check_time,
                  show_time_of_day});
  } else if (w == "pause") {
    qs.push_back({"paused_until",
                  "Until when should I pause your check-in prompts? A date (like 2027-01-10 or \"in 2 weeks\"), or "
                  "*resume* to resume now.",
                  "While paused I send no check-in prompts; you can still talk to me any time.", false, {}, check_pause});
  } else if (w == "budget") {
    qs.push_back({"weekly_budget_minutes", "How many hours a week do you want to spend learning? (0 removes the budget)",
                  "I compare the hours in your check-in with it.", false, {}, check_budget, show_hours});
  } else if (w == "manager") {
    qs.push_back({"manager", "Who is your manager? Mention them (like @bob), or type *none*.",
                  "Your manager hears from me only when you submit a plan or ask for a conversation.", false, {},
                  check_manager});
  } else if (w == "team") {
    qs.push_back({"team", "What is your team called? Type *none* to leave it empty.",
                  "Achievements you choose to share go to your team's channel.", false, {}, check_team});
  } else if (w == "sharing") {
    std::vector<bot::Button> kinds;
    for (auto k : kKinds) kinds.push_back({"kind", std::string{kind_label(k)}, std::string{bot::to_string(k)}, bot::ButtonStyle::normal});
    qs.push_back({"kind", "Which kind of item?", "Each kind has its own default.", false, kinds,
                  [](std::string_view t, const bot::Context&) {
                    bot::ItemKind k{};
                    if (bot::parse(bot::lower(bot::trim(t)), k)) return Answer::accept(std::string{bot::to_string(k)});
                    return Answer::refuse("Please pick one of the kinds.");
                  }});
    qs.push_back({"level", "Who may see them besides you?",
                  "Private: only you. Manager: you and your manager. Team: also your teammates.", false,
                  {{"level", "Only me", "private", bot::ButtonStyle::normal},
                   {"level", "My manager", "manager", bot::ButtonStyle::normal},
                   {"level", "My team", "team", bot::ButtonStyle::normal}},
                  [](std::string_view t, const bot::Context&) {
                    return check_choice(t, {"private", "manager", "team"}, "Please pick private, manager or team.");
                  }});
  }
  return qs;
}

bot::Transition SettingsDialog::finish(const json&, const json& a, const bot::Context& c) const {
  bot::UpdatePreferences u;
  bot::Transition t{std::nullopt, {}, {}};
  std::string text = "Saved.";
  std::vector<bot::Message> after;  // follow after the confirmation
  const std::string w = a.at("what").get<std::string>();
  if (w == "time_zone") {
    u.time_zone = a.at("time_zone").get<std::string>();
    text = "Saved: your time zone is now " + *u.time_zone + ".";
  } else if (w == "checkin") {
    u.checkin_weekday = a.at("checkin_weekday").get<int>();
    u.checkin_minute = a.at("checkin_minute").get<int>();
    text = "Saved: I'll check in every " + std::string{bot::weekday_name(*u.checkin_weekday)} + " at " +
           bot::format_time_of_day(*u.checkin_minute) + ".";
  } else if (w == "pause") {
    u.paused_until = a.at("paused_until").get<std::string>();
    text = u.paused_until->empty() ? "Check-ins are on again." : "Paused: no check-in prompts until " + *u.paused_until + ".";
  } else if (w == "budget") {
    u.weekly_budget_minutes = a.at("weekly_budget_minutes").get<int>();
    text = *u.weekly_budget_minutes == 0 ? "Removed your weekly learning-time budget."
                                         : "Saved: your weekly learning-time budget is " + bot::format_hours(*u.weekly_budget_minutes) + ".";
  } else if (w == "manager") {
    const std::string handle = a.at("manager").get<std::string>();
    t.effects.push_back(bot::SetManager{handle});
    text = handle.empty() ? "Saved: no manager." : "Saved: your manager is " + manager_as_named(handle, c) + ".";
    if (auto note = manager_named_note(handle, c)) t.messages.push_back(std::move(*note));
    auto waiting = waiting_plan_after_manager_change(handle, c);
    for (auto& e : waiting.effects) t.effects.push_back(std::move(e));
    after = std::move(waiting.messages);
  } else if (w == "team") {
    u.team = a.at("team").get<std::string>();
    text = u.team->empty() ? "Saved: no team." : "Saved: your team is " + *u.team + ".";
  } else if (w == "sharing") {
    bot::ItemKind k{};
    bot::Visibility v{};
    bot::parse(a.at("kind").get<std::string>(), k);
    bot::parse(a.at("level").get<std::string>(), v);
    u.visibility = std::pair{k, v};
    text = "Saved: " + std::string{level_label(v)} + " can see your " + std::string{kind_label(k)} + " from now on.";
  }
  t.effects.insert(t.effects.begin(), u);
  t.messages.push_back(bot::Message::text(bot::Recipient::dm(c.person.id), text + " Type *settings* to change more."));
  for (auto& m : after) t.messages.push_back(std::move(m));
  return t;
}

}  // namespace dialogs
