#include "bot/home_page.hpp"

#include <date/tz.h>

#include "bot/dialog.hpp"
#include "bot/local_time.hpp"
#include "bot/text.hpp"

namespace bot {

namespace {

std::string plan_line(const std::optional<Plan>& plan, bool has_manager) {
  if (!plan) return "*Your plan:* none yet. Type *plan* in our chat to make one.";
  std::string line = "*Your plan* (" + plan->period_start + " to " + last_day_before(plan->period_end) + "): ";
  switch (plan->status) {
    case PlanStatus::draft: return line + "draft. Type *submit* when it is ready for your manager.";
    case PlanStatus::submitted:
      // Sent to a manager who has since gone: only its owner can decide it now.
      return line + (has_manager ? "waiting for your manager's review."
                                 : "sent for review, but you have no manager now. Approve it yourself with "
                                   "*submit*, or name a manager with *settings*.");
    case PlanStatus::changes_requested: return line + "your manager asked for changes.";
    case PlanStatus::approved:
    case PlanStatus::active: return line + "approved.";
    case PlanStatus::completed: return line + "completed.";
    case PlanStatus::archived: return line + "archived.";
  }
  return line;
}

std::string goals_text(const std::vector<Goal>& goals, const std::vector<Goal>& achieved) {
  if (goals.empty() && achieved.empty()) return "*Goals:* none yet. Add one with the button below.";
  std::string text = "*Goals*";
  for (const auto& g : goals) {
    text += "\n- " + truncate_utf8(g.statement, 200) + "  " + progress_bar(g.progress);
    if (g.target_date) text += " (by " + *g.target_date + ")";
  }
  for (const auto& g : achieved) text += "\n- " + truncate_utf8(g.statement, 200) + "  ✓ achieved";
  if (goals.empty()) text += "\nNothing in progress: add your next goal with the button below.";
  return text;
}

std::string checkin_line(const HomeFacts& f) {
  std::string line;
  if (f.this_week) line = "*This week (" + f.iso_week + "):* checked in.";
  else line = "*This week (" + f.iso_week + "):* no check-in yet.";
  if (f.person.prefs.paused_until && !f.person.prefs.paused_until->empty())
    return line + " Check-ins are paused until " + *f.person.prefs.paused_until + ".";
  if (f.next_checkin) {
    const std::string& zone = f.person.prefs.time_zone;
    const auto local = date::floor<std::chrono::minutes>(to_local(*f.next_checkin, zone));
    line += " Next check-in: " + date::format("%A %Y-%m-%d %H:%M", local) + " (" + zone + ").";
  }
  return line;
}

}  // namespace

Message emptied_home_page(const std::string& slack_user) {
  Message m;
  m.to = Recipient{RecipientKind::home, {}, slack_user, {}};
  m.sections.push_back(Section{"*Coachbot*"});
  m.sections.push_back(Section{"I deleted everything I kept about you, so there is nothing to show here. Write to me "
                               "in our chat whenever you want to start again."});
  m.update_key = std::string{kHomeUpdateKey};
  return m;
}

Message home_page(const HomeFacts& f) {
  Message m;
  m.to = Recipient::home_of(f.person.id);
  m.sections.push_back(Section{"*Hi " + f.person.display_name + "*, this is your learning plan."});
  m.sections.push_back(Section{plan_line(f.plan, f.person.manager.has_value())});
  m.sections.push_back(Section{goals_text(f.goals, f.achieved)});
  m.sections.push_back(Section{checkin_line(f)});
  std::vector<std::string> pending;
  if (f.open_dialog) pending.push_back("Your " + *f.open_dialog + " is waiting for your answer in our chat.");
  if (f.plan && f.plan->status == PlanStatus::changes_requested)
    pending.push_back("Your manager asked for changes to your plan: type *plan* to edit it.");
  if (f.reviews_waiting > 0)
    pending.push_back(std::to_string(f.reviews_waiting) + (f.reviews_waiting == 1 ? " plan waits" : " plans wait") +
                      " for your review.");
  if (!pending.empty()) {
    std::string text = "*Waiting for you*";
    for (const auto& p : pending) text += "\n- " + p;
    m.sections.push_back(Section{text});
  }
  const std::string command{kCommandAction};
  m.buttons.push_back(Button{command, f.this_week ? "Edit this week's check-in" : "Start check-in",
                             f.this_week ? "edit checkin" : "checkin", ButtonStyle::primary});
  m.buttons.push_back(Button{command, "Add a goal", "goal", ButtonStyle::normal});
  m.buttons.push_back(Button{command, "Settings", "settings", ButtonStyle::normal});
  if (f.reviews_waiting > 0) m.buttons.push_back(Button{command, "Plans to review", "team", ButtonStyle::normal});
  m.update_key = std::string{kHomeUpdateKey};
  return m;
}

}  // namespace bot
