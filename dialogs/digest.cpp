#include "dialogs/digest.hpp"

#include <algorithm>

#include "bot/local_time.hpp"
#include "bot/text.hpp"

namespace dialogs {

namespace {

std::string quoted(const std::string& text) { return "\"" + bot::truncate_utf8(text, 200) + "\""; }

// What a manager may see of their team, as the digest's lines and buttons.
struct TeamLines {
  std::vector<std::string> waiting;
  std::vector<bot::Button> buttons;
  std::vector<std::string> requests;
  std::vector<std::string> achievements;
  std::string check_ins;  // "*Team check-ins, last 4 weeks*: W46 2/3 · …"
};

// `finished_weeks`: the check-in counts leave out the week under way, so asking again
// and again cannot show who has checked in since (the digest comes once a week).
TeamLines team_lines(const bot::TeamPicture& team, const bot::Person& manager, bool finished_weeks) {
  TeamLines out;
  for (const auto& r : team.reports) {
    const std::string& name = r.person.display_name;
    if (r.plan && r.plan->status == bot::PlanStatus::submitted) {
      out.waiting.push_back("- " + name + "'s learning plan");
      const std::string id = std::to_string(r.plan->id.value);
      out.buttons.push_back({std::string{bot::kPlanReviewAction}, "Approve " + name + "'s plan", "approve:" + id,
                             bot::ButtonStyle::primary});
      out.buttons.push_back({std::string{bot::kPlanReviewAction}, "Open " + name + "'s plan", "open:" + id,
                             bot::ButtonStyle::normal});
      out.buttons.push_back({std::string{bot::kPlanReviewAction}, "Snooze " + name + " 1 day", "snooze:" + id,
                             bot::ButtonStyle::normal});
    }
    if (r.latest) {
      // A conversation request was addressed to the manager; other blockers only
      // reach them when the report shares check-ins with them.
      if (r.latest->need_help) {
        out.requests.push_back("- " + name + " would like a conversation" +
                               (r.latest->blockers.empty() ? std::string{} : ": " + quoted(r.latest->blockers)));
      } else if (!r.latest->blockers.empty() && bot::may_see(r.person, manager, bot::ItemKind::checkins)) {
        out.requests.push_back("- " + name + " noted a blocker: " + quoted(r.latest->blockers));
      }
    }
    for (std::size_t i = 0; i < r.achievements.size(); ++i) {
      const auto& a = r.achievements[i];
      if (!a.shared && !bot::may_see(r.person, manager, bot::ItemKind::achievements)) continue;
      const std::string& goal = r.achievement_goals[i];
      out.achievements.push_back("- " + name + " reached " +
                                 (goal.empty() ? std::string{"a learning goal"} : quoted(goal)));
    }
  }
  std::vector<std::string> weeks;
  const auto last = finished_weeks && !team.weeks.empty() ? team.weeks.end() - 1 : team.weeks.end();
  for (auto it = team.weeks.begin(); it != last; ++it) {
    const std::string& week = *it;
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
  out.check_ins = std::string{finished_weeks ? "*Team check-ins, the weeks before this one*: "
                                             : "*Team check-ins, last 4 weeks*: "} +
                  bot::join(weeks, " · ");
  return out;
}

// The parts the digest and the overview end with alike: achievements, check-ins and
// the review buttons.
bot::Transition ending_with_the_rest(bot::Message m, TeamLines lines) {
  if (!lines.achievements.empty())
    m.sections.push_back({"*Achievements, last 7 days*\n" + bot::join(lines.achievements, "\n")});
  m.sections.push_back({std::move(lines.check_ins)});
  m.buttons = std::move(lines.buttons);
  bot::Transition t;
  t.messages.push_back(std::move(m));
  return t;
}

}  // namespace

bot::Transition manager_digest(const bot::Context& c) {
  bot::Transition t;
  if (!c.team || c.team->reports.empty()) return t;
  TeamLines lines = team_lines(*c.team, c.person, false);
  if (lines.waiting.empty() && lines.requests.empty() && lines.achievements.empty()) return t;

  bot::Message m =
      bot::Message::text(bot::Recipient::dm(c.person.id), "Your weekly learning digest, " + c.team->weeks.back() + ".");
  if (!lines.waiting.empty()) m.sections.push_back({"*Waiting for your review*\n" + bot::join(lines.waiting, "\n")});
  if (!lines.requests.empty()) m.sections.push_back({"*Asked for your help*\n" + bot::join(lines.requests, "\n")});
  return ending_with_the_rest(std::move(m), std::move(lines));
}

bot::Transition team_overview(const bot::Context& c) {
  bot::Transition t;
  if (!c.team || c.team->reports.empty()) {
    t.messages.push_back(bot::Message::text(
        bot::Recipient::dm(c.person.id),
        "Nobody has named you as their manager yet, so there is no team to show. When someone does (in their "
        "*setup* or *settings*), the plans they send you for review and their requests for a conversation show up "
        "here, and in a weekly digest."));
    return t;
  }
  TeamLines lines = team_lines(*c.team, c.person, true);
  const std::size_t n = c.team->reports.size();
  bot::Message m = bot::Message::text(bot::Recipient::dm(c.person.id),
                                      "Your team, " + c.team->weeks.back() + " (" + std::to_string(n) +
                                          (n == 1 ? " person" : " people") + " named you as their manager).");
  m.sections.push_back({"*Waiting for your review*\n" +
                        (lines.waiting.empty() ? std::string{"No plan waits for you."} : bot::join(lines.waiting, "\n"))});
  m.sections.push_back({"*Asked for your help, last 7 days*\n" +
                        (lines.requests.empty() ? std::string{"Nobody."} : bot::join(lines.requests, "\n"))});
  return ending_with_the_rest(std::move(m), std::move(lines));
}

}  // namespace dialogs
