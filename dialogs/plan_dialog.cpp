#include "dialogs/plan_dialog.hpp"

#include <algorithm>

#include "bot/text.hpp"

namespace dialogs {

using nlohmann::json;

Period half_year_of(std::string_view today) {
  const std::string year{today.substr(0, 4)};
  const bool first_half = today.substr(5, 2) < "07";
  if (first_half) return {year + "-01-01", year + "-07-01", year + "-H1"};
  return {year + "-07-01", std::to_string(std::stoi(year) + 1) + "-01-01", year + "-H2"};
}

std::string_view plan_status_text(bot::PlanStatus s) {
  switch (s) {
    case bot::PlanStatus::draft: return "draft";
    case bot::PlanStatus::submitted: return "waiting for your manager's review";
    case bot::PlanStatus::approved: return "approved";
    case bot::PlanStatus::changes_requested: return "changes requested";
    case bot::PlanStatus::active: return "active";
    case bot::PlanStatus::completed: return "completed";
    case bot::PlanStatus::archived: return "archived";
  }
  return "";
}

namespace {
// The period's end is exclusive; people count to its last day.
std::string last_day(const Period& p) { return p.start.substr(0, 4) + (p.label.ends_with("H1") ? "-06-30" : "-12-31"); }
}  // namespace

std::string PlanDialog::intro(const json&, const bot::Context& c) const {
  const Period p = half_year_of(c.today);
  if (c.plan) return "Let's update your learning plan for *" + p.label + "*. Type *skip* to keep an answer.";
  return "Let's set up your learning plan for *" + p.label + "* (until " + last_day(p) +
         "). Three questions, then we add goals.";
}

std::vector<Question> PlanDialog::questions(const json&, const json&, const bot::Context& c) const {
  const auto keep_or = [&](const std::string& current) {
    return c.plan && !current.empty() ? "\nNow: \"" + current + "\"" : std::string{};
  };
  std::vector<bot::Button> objectives;
  for (std::size_t i = 0; i < c.objectives.size(); ++i)
    objectives.push_back({"objective", c.objectives[i], c.objectives[i], bot::ButtonStyle::normal});
  const auto text = [](std::string_view what) {
    return [what](std::string_view t, const bot::Context&) { return short_text(t, 500, what); };
  };
  return {
      {"aspiration_short",
       "By " + last_day(half_year_of(c.today)) + ", the end of this plan, what do you want to get better at or "
       "achieve?" +
           keep_or(c.plan ? c.plan->aspiration_short : ""),
       "Your short-term aspiration, in your own words: a skill, a responsibility, a result.", c.plan.has_value(), {},
       text("your aspiration")},
      {"aspiration_long",
       "Looking further, where would you like to be in two or three years?" +
           keep_or(c.plan ? c.plan->aspiration_long : ""),
       "Your long-term direction. It helps your manager see where your goals lead. Optional.", true, {},
       text("your long-term aspiration")},
      {"objective",
       std::string{"Which team or organisation objective does this plan support?"} +
           (objectives.empty() ? " Type it in a few words." : " Pick one or type your own.") +
           keep_or(c.plan ? c.plan->objective : ""),
       "Linking your plan to what the team is trying to achieve makes it easier to support. Optional.", true,
       objectives, text("the objective")},
  };
}

bot::Transition PlanDialog::finish(const json&, const json& a, const bot::Context& c) const {
  const Period period = half_year_of(c.today);
  bot::Plan plan = c.plan.value_or(bot::Plan{});
  if (!c.plan) {
    plan.period_start = period.start;
    plan.period_end = period.end;
  }
  const auto take = [&](const char* key, std::string& field) {
    if (const auto& v = a.value(key, json{}); v.is_string()) field = v.get<std::string>();
  };
  take("aspiration_short", plan.aspiration_short);
  take("aspiration_long", plan.aspiration_long);
  take("objective", plan.objective);
  // Going through the questions to look costs nothing: an approved plan stays approved
  // and a review under way is not withdrawn.
  if (c.plan && plan.aspiration_short == c.plan->aspiration_short && plan.aspiration_long == c.plan->aspiration_long &&
      plan.objective == c.plan->objective) {
    return bot::Transition{std::nullopt, {},
                           {bot::Message::text(bot::Recipient::dm(c.person.id),
                                               "Nothing changed, so your plan for " + period.label + " is as it was (" +
                                                   std::string{plan_status_text(c.plan->status)} + ").")}};
  }
  std::string text = "Saved your learning plan for " + period.label + ".";
  if (plan.status != bot::PlanStatus::draft) {
    plan.status = bot::PlanStatus::draft;
    text += " Because it changed, it is a draft again: type *submit* when you want it reviewed.";
  }
  // The engine puts goals added before there was a plan into the new one.
  const bool takes_goals =
      !c.plan && std::any_of(c.goals.begin(), c.goals.end(), [](const bot::Goal& g) { return !g.plan; });
  if (takes_goals)
    text += "\nYour goals so far are part of it. Add more with *goal*, or send it for review with *submit*.";
  else if (c.goals.empty()) text += "\nNext, add your first goal with *goal*.";
  else text += "\nAdd a goal with *goal*, or see them with *goals*.";
  return bot::Transition{std::nullopt, {bot::SavePlan{plan}},
                         {bot::Message::text(bot::Recipient::dm(c.person.id), std::move(text))}};
}

}  // namespace dialogs
