#include "dialogs/checkin_dialog.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <string_view>
#include <utility>

#include "bot/text.hpp"

namespace dialogs {

using nlohmann::json;

namespace {

constexpr std::size_t kMaxAnswer = 2000;
constexpr int kMaxHoursText = 20;  // "1.5 hours", "90 min": a short text field
constexpr std::string_view kKeep = "keep";  // the value of a Keep button, also typed

bool says_none(std::string_view text) {
  const std::string t = bot::lower(bot::trim(text));
  return t == "none" || t == "no" || t == "nothing" || t == "n/a" || t == "-";
}

std::string progress_key(std::int64_t goal) { return "progress_" + std::to_string(goal); }

// The ISO week the check-in is for, fixed when it started; a check-in left open before
// the week was kept has none and is for the current week.
std::string week_of(const json& data, const bot::Context& c) {
  const auto& w = data.value("iso_week", json{});
  return w.is_string() ? w.get<std::string>() : c.iso_week;
}

// "2", "1.5", "1,5", "90m", "90 minutes", "2h", "1 hour", "3 hrs" -> minutes.
Answer check_hours(std::string_view text, const bot::Context&) {
  std::string t = bot::lower(bot::trim(text));
  std::replace(t.begin(), t.end(), ',', '.');
  double factor = 60;
  // Longer units first: "min" before "m", "hours" before "h".
  static constexpr std::pair<std::string_view, double> kUnits[] = {
      {"minutes", 1}, {"minute", 1}, {"mins", 1}, {"min", 1},   {"m", 1},
      {"hours", 60},  {"hour", 60},  {"hrs", 60}, {"hr", 60}, {"h", 60}};
  for (const auto& [unit, minutes_per] : kUnits) {
    if (!t.ends_with(unit)) continue;
    t.resize(t.size() - unit.size());
    factor = minutes_per;
    break;
  }
  t = std::string{bot::trim(t)};
  double v = -1;
  const auto r = std::from_chars(t.data(), t.data() + t.size(), v);
  if (t.empty() || r.ec != std::errc{} || r.ptr != t.data() + t.size() || !std::isfinite(v) || v < 0) {
    return Answer::refuse("I need a number of hours, like 2 or 1.5 (or minutes, like 90m).");
  }
  const double minutes = v * factor;
  if (minutes > 100 * 60) return Answer::refuse("That is more than 100 hours in a week. Give the hours you spent learning.");
  return Answer::accept(static_cast<int>(minutes + 0.5));
}

// `edit checkin`: each question shows the earlier answer with a button to keep it.
// The button says only "keep" and the text comes from the dialog's state: an answer may
// be 2000 characters, and Slack cuts a button's value at 2000 bytes.
void offer_keep(std::vector<Question>& qs, const json& previous) {
  constexpr std::size_t kLabelBytes = 40;
  for (auto& q : qs) {
    const auto it = previous.find(q.id);
    if (it == previous.end() || !it->is_string()) continue;
    const std::string value = it->get<std::string>();
    // Kept in the form it is typed ("40", "150m"); shown the way the check-in says it.
    std::string shown = value;
    if (q.id == "overall_progress" || q.id.starts_with("progress_")) shown += "%";
    if (q.id == "minutes_spent" && value.ends_with('m')) {
      int minutes = 0;
      if (std::from_chars(value.data(), value.data() + value.size() - 1, minutes).ec == std::errc{})
        shown = bot::format_hours(minutes);
    }
    q.prompt += "\nThis week you said: " + shown + ". Type a new answer, or keep it.";
    q.quick_answers.push_back({"keep", "Keep \"" + bot::truncate_utf8(shown, kLabelBytes) + "\"", std::string{kKeep},
                               bot::ButtonStyle::normal});
    // Keeping goes through the same check as typing the earlier answer again.
    q.check = Check{[check = q.check, value](std::string_view text, const bot::Context& c) {
                      return bot::lower(bot::trim(text)) == kKeep ? check(value, c) : check(text, c);
                    },
                    q.check.shape()};
  }
}

// The questions in order; `form` words them for a form, where every question shows
// at once and an optional one is simply left empty.
std::vector<Question> ask_list(const json& data, const bot::Context& c, bool form) {
  std::vector<Question> qs;
  const json& goals = data.at("goals");
  if (goals.empty()) {
    qs.push_back({"overall_progress",
                  "Overall, how far along are you with what you want to learn? A number from 0 to 100.",
                  "Your own estimate, in percent: 0 is not started, 100 is done. Once you have goals, I'll ask "
                  "per goal instead.",
                  false, {}, whole_number_check(0, 100, "%"), show_percent});
  } else {
    std::vector<bot::Button> common;
    for (const char* v : {"25", "50", "75", "100"})
      common.push_back({"progress", std::string{v} + "%", v, bot::ButtonStyle::normal});
    for (const auto& g : goals) {
      const auto id = g.at("id").get<std::int64_t>();
      qs.push_back({progress_key(id),
                    "Progress on \"" + g.at("statement").get<std::string>() + "\"? Last time: " +
                        std::to_string(g.at("progress").get<int>()) + "%." +
                        (form ? "" : " Pick one or type a number from 0 to 100."),
                    "Your own estimate for this goal, in percent: 0 is not started, 100 is achieved.", false, common,
                    whole_number_check(0, 100, "%"), show_percent});
    }
    qs.push_back({"minutes_spent", "How many hours of learning time did you have this week?",
                  "Time you spent on your goals: courses, reading, practice, mentoring. Decimals are fine (1.5).",
                  false, {}, Check{check_hours, FieldShape{bot::FieldKind::text, {}, {}, kMaxHoursText, {}}}, show_hours});
  }
  qs.push_back({"learned", "What did you learn this week?",
                "A sentence or two is plenty: a skill you practised, something you read, feedback you got.", false, {},
                short_text_check(kMaxAnswer, "what you learned")});
  qs.push_back({"blockers", form ? "Is anything blocking you? Leave it empty if not." : "Is anything blocking you? Type *none* if not.",
                "Anything that slows your learning: time, access, unclear expectations. This stays private to you.",
                true, {},
                Check{[](std::string_view t, const bot::Context&) {
                        if (says_none(t)) return Answer::accept("");
                        return short_text(t, kMaxAnswer, "what is blocking you");
                      },
                      FieldShape{bot::FieldKind::long_text, {}, {}, static_cast<int>(kMaxAnswer), {}}}});
  if (!goals.empty() && c.person.manager) {
    qs.push_back({"need_help", "Would a conversation with your manager help?",
                  "If you say yes, I'll tell your manager you'd like to talk, with the blocker you wrote. If you say "
                  "no, they hear nothing about this check-in.",
                  false,
                  {{"need_help", "Yes", "yes", bot::ButtonStyle::normal}, {"need_help", "No", "no", bot::ButtonStyle::normal}},
                  yes_no_check()});
  }
  if (!goals.empty()) {
    std::vector<bot::Button> scale;
    for (int i = 1; i <= 5; ++i) scale.push_back({"confidence", std::to_string(i), std::to_string(i), bot::ButtonStyle::normal});
    qs.push_back({"confidence", "How confident are you of reaching your goals? 1 (not at all) to 5 (very).",
                  "Just your gut feeling this week; it shows trends over time.", false, scale, whole_number_check(1, 5)});
  }
  qs.push_back({"next_step", "What is your next step?",
                "One concrete thing you will do before the next check-in, like \"finish chapter 3\".", false, {},
                short_text_check(kMaxAnswer, "your next step")});
  return qs;
}

}  // namespace

json CheckInDialog::edit_seed(const bot::CheckIn& latest) {
  // Kept answers are stored as the text a person would type, so that keeping one goes
  // through the same check as typing it.
  json previous = json::object();
  if (latest.overall_progress) previous["overall_progress"] = std::to_string(*latest.overall_progress);
  for (const auto& g : latest.goals) previous[progress_key(g.goal.value)] = std::to_string(g.progress);
  if (latest.minutes_spent) previous["minutes_spent"] = std::to_string(*latest.minutes_spent) + "m";
  previous["learned"] = latest.learned;
  previous["blockers"] = latest.blockers.empty() ? "none" : latest.blockers;
  previous["need_help"] = latest.need_help ? "yes" : "no";
  if (latest.confidence) previous["confidence"] = std::to_string(*latest.confidence);
  previous["next_step"] = latest.next_step;
  return {{"previous", previous}};
}

json CheckInDialog::initial_data(const bot::Context& c) const {
  // The goals are fixed when the check-in starts so that a resumed check-in asks the
  // same questions even if goals changed meanwhile.
  json goals = json::array();
  for (const auto& g : c.goals) goals.push_back({{"id", g.id.value}, {"statement", g.statement}, {"progress", g.progress}});
  // The week too: a check-in finished after midnight on Sunday belongs to the week it
  // was started for, not to the next one (whose own prompt would then be skipped).
  return {{"goals", goals}, {"iso_week", c.iso_week}};
}

std::string CheckInDialog::intro(const json& data, const bot::Context& c) const {
  const std::string week = week_of(data, c);
  std::string text = "Weekly check-in for *" + week + "*. " +
                     (data.at("goals").empty() ? "Four short questions." : "A few short questions, one per goal first.");
  if (data.contains("previous")) {
    text = "Editing your check-in for *" + week + "*. Keep an answer or type a new one; the earlier version "
           "stays in your history.";
  } else if (c.this_week) {
    text += "\nYou already checked in this week; answering again keeps your earlier answers in your history.";
  }
  return text;
}

std::vector<Question> CheckInDialog::questions(const json& data, const json&, const bot::Context& c) const {
  std::vector<Question> qs = ask_list(data, c, false);
  if (auto previous = data.find("previous"); previous != data.end()) offer_keep(qs, *previous);
  return qs;
}

std::vector<Question> CheckInDialog::form_questions(const json& data, const json&, const bot::Context& c) const {
  return ask_list(data, c, true);
}

std::map<std::string, std::string> CheckInDialog::form_initial(const json& data) const {
  std::map<std::string, std::string> values;
  const auto previous = data.find("previous");
  if (previous == data.end()) return values;
  for (const auto& [id, value] : previous->items())
    if (value.is_string()) values[id] = value.get<std::string>();
  // "none" is how the chat says "no blocker"; in a form that is an empty field.
  if (const auto b = values.find("blockers"); b != values.end() && b->second == "none") values.erase(b);
  return values;
}

bot::Transition CheckInDialog::finish(const json& data, const json& a, const bot::Context& c) const {
  bot::CheckIn checkin;
  std::string summary;
  std::vector<std::string> achieved;
  if (auto p = a.find("overall_progress"); p != a.end()) {
    checkin.overall_progress = p->get<int>();
    summary = "Progress: " + std::to_string(*checkin.overall_progress) + "%.";
  }
  for (const auto& g : data.at("goals")) {
    const auto id = g.at("id").get<std::int64_t>();
    const int progress = a.at(progress_key(id)).get<int>();
    const std::string statement = g.at("statement").get<std::string>();
    checkin.goals.push_back({bot::GoalId{id}, progress});
    summary += "\n- " + statement + ": " + std::to_string(progress) + "%";
    if (progress == 100 && g.at("progress").get<int>() < 100) achieved.push_back(statement);
  }
  if (const auto& m = a.value("minutes_spent", json{}); m.is_number_integer()) checkin.minutes_spent = m.get<int>();
  checkin.learned = a.at("learned").get<std::string>();
  if (const auto& b = a.value("blockers", json{}); b.is_string()) checkin.blockers = b.get<std::string>();
  checkin.need_help = a.value("need_help", false);
  if (const auto& conf = a.value("confidence", json{}); conf.is_number_integer()) checkin.confidence = conf.get<int>();
  checkin.next_step = a.at("next_step").get<std::string>();
  checkin.iso_week = week_of(data, c);

  std::string text = (data.contains("previous") ? "Updated your check-in for " : "Saved your check-in for ") +
                     checkin.iso_week + "." + (summary.empty() ? std::string{} : " " + summary);
  if (checkin.minutes_spent) {
    text += "\nLearning time: " + bot::format_hours(*checkin.minutes_spent);
    if (const auto budget = c.person.prefs.weekly_budget_minutes; budget && *budget > 0) {
      text += *checkin.minutes_spent >= *budget ? " (your weekly budget of " + bot::format_hours(*budget) + " is met)"
                                                : " of your " + bot::format_hours(*budget) + " weekly budget";
    }
    text += ".";
  }
  text += "\nNext step: " + checkin.next_step;
  for (const auto& goal : achieved) text += "\nYou reached 100% on \"" + goal + "\": it is marked achieved. Congratulations!";
  if (data.contains("previous")) text += "\nYour earlier answers for this week stay in your history.";

  bot::Transition t{std::nullopt, {}, {}};
  // The manager hears about this check-in only when the learner asked for it, and once:
  // an edit that keeps the same request and blockers tells them nothing new.
  const json& before = data.contains("previous") ? data.at("previous") : json::object();
  const bool asked_before = before.value("need_help", "") == "yes" &&
                            before.value("blockers", "") == (checkin.blockers.empty() ? "none" : checkin.blockers);
  if (checkin.need_help && asked_before) {
    text += "\n" + (c.manager ? c.manager->display_name : std::string{"Your manager"}) +
            " already knows you'd like to talk.";
  } else if (checkin.need_help) {
    std::string note = c.person.display_name + " would like a conversation with you about their learning.";
    if (!checkin.blockers.empty()) note += "\nWhat is in the way: \"" + checkin.blockers + "\"";
    t.messages.push_back(bot::Message::text(bot::Recipient::manager_of(c.person.id), std::move(note)));
    text += "\nI've let " + (c.manager ? c.manager->display_name : std::string{"your manager"}) + " know you'd like to talk.";
  } else if (!checkin.blockers.empty() && c.manager && bot::may_see(c.person, *c.manager, bot::ItemKind::checkins)) {
    // The person chose in settings to share their check-ins with their manager.
    t.messages.push_back(bot::Message::text(bot::Recipient::manager_of(c.person.id),
                                            c.person.display_name + " noted a blocker in this week's check-in: \"" +
                                                checkin.blockers + "\""));
    text += "\nI shared the blocker with " + c.manager->display_name + ", as your settings say.";
  } else if (!checkin.blockers.empty()) {
    text += "\nI noted the blocker; it stays private to you.";
  }
  t.messages.insert(t.messages.begin(), bot::Message::text(bot::Recipient::dm(c.person.id), std::move(text)));
  t.effects.push_back(bot::RecordCheckIn{std::move(checkin)});
  return t;
}

}  // namespace dialogs
