#include "dialogs/digest.hpp"

#include <algorithm>

#include "bot/local_time.hpp"
#include "bot/text.hpp"

namespace dialogs {

namespace {

std::string quoted(const std::string& text) { return "\"" + bot::truncate_utf8(text, 200) + "\""; }

}  // namespace

bot::Transition manager_digest(const bot::Context& c) {
  bot::Transition t;
  if (!c.team || c.team->reports.empty()) return t;
  const bot::TeamPicture& team = *c.team;
  const bot::Person& manager = c.person;

  std::vector<std::string> waiting;
  std::vector<bot::Button> buttons;
  std::vector<std::string> requests;
  std::vector<std::string> achievements;
  for (const auto& r : team.reports) {
    const std::string& name = r.person.display_name;
    if (r.plan && r.plan->status == bot::PlanStatus::submitted) {
      waiting.push_back("- " + name + "'s learning plan");
      const std::string id = std::to_string(r.plan->id.value);
      buttons.push_back({std::string{bot::kPlanReviewAction}, "Approve " + name + "'s plan", "approve:" + id,
                         bot::ButtonStyle::primary});
      buttons.push_back({std::string{bot::kPlanReviewAction}, "Open " + name + "'s plan", "open:" + id,
                         bot::ButtonStyle::normal});
      buttons.push_back({std::string{bot::kPlanReviewAction}, "Snooze " + name + " 1 day", "snooze:" + id,
                         bot::ButtonStyle::normal});
    }
    if (r.latest) {
      // A conversation request was addressed to the manager; other blockers only
      // reach them when the report shares check-ins with them.
      if (r.latest->need_help) {
        requests.push_back("- " + name + " would like a conversation" +
                           (r.latest->blockers.empty() ? std::string{} : ": " + quoted(r.latest->blockers)));
      } else if (!r.latest->blockers.empty() && bot::may_see(r.person, manager, bot::ItemKind::checkins)) {
        requests.push_back("- " + name + " noted a blocker: " + quoted(r.latest->blockers));
      }
    }
    for (std::size_t i = 0; i < r.achievements.size(); ++i) {
      const auto& a = r.achievements[i];
      if (!a.shared && !bot::may_see(r.person, manager, bot::ItemKind::achievements)) continue;
      const std::string& goal = r.achievement_goals[i];
      achievements.push_back("- " + name + " reached " + (goal.empty() ? std::string{"a learning goal"} : quoted(goal)));
    }
  }
  if (waiting.empty() && requests.empty() && achievements.empty()) return t;

  bot::Message m = bot::Message::text(bot::Recipient::dm(manager.id), "Your weekly learning digest, " + team.weeks.back() + ".");
  if (!waiting.empty()) m.sections.push_back({"*Waiting for your review*\n" + bot::join(waiting, "\n")});
  if (!requests.empty()) m.sections.push_back({"*Asked for your help*\n" + bot::join(requests, "\n")});
  if (!achievements.empty())
    m.sections.push_back({"*Achievements, last 7 days*\n" + bot::join(achievements, "\n")});
  std::vector<std::string> weeks;
  for (const auto& week : team.weeks) {
    // Someone who joined later did not miss the weeks before (ISO week names sort in
    // time order).
    std::size_t around = 0;
    std::size_t done = 0;
    for (const auto& r : team.reports) {
      if (bot::iso_week(r.person.created_at, manager.prefs.time_zone) > week) continue;
      ++around;
      if (std::find(r.weeks_checked_in.begin(), r.weeks_checked_in.end(), week) != r.weeks_checked_in.end()) ++done;
    }
    weeks.push_back(week.substr(5) + " " + (around == 0 ? std::string{"\u2013"}
                                                         : std::to_string(done) + "/" + std::to_string(around)));
  }
  m.sections.push_back({"*Team check-ins, last 4 weeks*: " + bot::join(weeks, " · ")});
  m.buttons = std::move(buttons);
  t.messages.push_back(std::move(m));
  return t;
}

}  // namespace dialogs
