#include "dialogs/goal_dialog.hpp"

#include <algorithm>

#include <date/date.h>

#include "bot/local_time.hpp"
#include "bot/text.hpp"
#include "dialogs/links.hpp"
#include "dialogs/smart_rules.hpp"

namespace dialogs {

using nlohmann::json;

namespace {

constexpr int kMaxActivities = 10;

struct KindChoice {
  bot::ActivityKind kind;
  std::string_view label;
};
constexpr KindChoice kActivityKinds[] = {
    {bot::ActivityKind::course, "Course"},       {bot::ActivityKind::on_the_job, "On the job"},
    {bot::ActivityKind::mentoring, "Mentoring"}, {bot::ActivityKind::reading, "Reading"},
    {bot::ActivityKind::conference, "Conference"}, {bot::ActivityKind::cross_team, "Cross-team exposure"},
    {bot::ActivityKind::other, "Other"},
};

Answer review(const smart::Review& r, std::string_view text) {
  if (r.gap == smart::Gap::none) return Answer::accept(std::string{bot::trim(text)});
  return Answer::coach(std::string{bot::trim(text)}, r.question);
}

Answer check_resource(std::string_view typed) {
  const std::string t{bot::trim(typed)};
  if (t.starts_with("http://") || t.starts_with("https://")) {
    const auto space = t.find_first_of(" \t\n");
    if (!is_web_link(std::string_view{t}.substr(0, space)))
      return Answer::refuse("That link doesn't look right. Paste the full address, or describe it in words.");
    // A link with a few words about it ("https://… CKA prep") is kept as typed.
    if (space != std::string::npos) return short_text(t, 300, "the activity");
    return Answer::accept(t);
  }
  return short_text(t, 300, "the activity");
}

std::string activity_key(int i, const char* field) { return "activity_" + std::to_string(i) + "_" + field; }

}  // namespace

std::string goals_overview(const bot::Context& c) {
  // Achieved goals are in the portfolio (*export*), not here.
  if (c.goals.empty()) return "You have no open goals. Add one with *goal*.";
  std::string text = "Your goals:";
  std::optional<std::string> next_date;
  for (const auto& g : c.goals) {
    text += "\n- " + g.statement + "\n  " + bot::progress_bar(g.progress) + ", " + std::string{bot::to_string(g.status)};
    if (g.target_date) {
      text += ", due " + *g.target_date;
      if (!next_date || *g.target_date < *next_date) next_date = g.target_date;
    }
  }
  if (next_date) text += "\nNext target date: " + *next_date + ".";
  return text;
}

std::string GoalDialog::intro(const json&, const bot::Context& c) const {
  std::string text = "Let's shape a new goal, step by step (Specific, Measurable, Achievable, Relevant, Time-bound).";
  if (!c.plan) text += " It will be part of your plan for this half-year; add the plan's aspirations with *plan* later.";
  return text;
}

std::vector<Question> GoalDialog::questions(const json&, const json& a, const bot::Context&) const {
  std::vector<Question> qs{
      {"statement", "What exactly do you want to achieve?",
       "Specific: one concrete outcome, like \"Give a 10-minute talk at the team meeting\".", false, {},
       [](std::string_view t, const bot::Context&) {
         Answer basic = short_text(t, 300, "your goal");
         if (!basic.ok()) return basic;
         return review(smart::review_statement(t), t);
       }},
      {"measure", "How will you measure progress?",
       "Measurable: a number or something others can observe, like \"3 merged pull requests\" or \"pass the exam\".",
       false, {},
       [](std::string_view t, const bot::Context&) {
         Answer basic = short_text(t, 300, "the measure");
         if (!basic.ok()) return basic;
         return review(smart::review_measure(t), t);
       }},
      {"target", "What result will count as done? Type *skip* if the measure says it already.",
       "The target value of your measure, like \"score 80% on the practice exam\".", true, {},
       [](std::string_view t, const bot::Context&) { return short_text(t, 300, "the target"); }},
      {"support", "What support or resources do you need to get there?",
       "Achievable: time, a mentor, a course budget, access to a project. Optional.", true, {},
       [](std::string_view t, const bot::Context&) { return short_text(t, 500, "the support you need"); }},
      {"relevance", "Why does it matter for your role or career?",
       "Relevant: how it helps your work, your team or where you want to go.", false, {},
       [](std::string_view t, const bot::Context&) { return short_text(t, 500, "why it matters"); }},
      {"target_date", "By when? A date like 2027-03-31, or words like \"end of Q2\" or \"in 3 months\".",
       "Time-bound: a date in the future, within 18 months.", false, {},
       [](std::string_view t, const bot::Context& ctx) {
         const auto today = bot::parse_iso_date(ctx.today);
         if (!today) return Answer::refuse("I can't tell today's date; please try again later.");
         const auto r = smart::parse_target_date(t, *today);
         if (!r.date) return Answer::refuse(r.problem);
         return Answer::accept(smart::format_date(*r.date));
       }},
      {"kind", "What kind of goal is it?", "It helps you and your manager balance today's job and where you're heading.",
       false,
       {{"kind", "Current-role skill", "current_role", bot::ButtonStyle::normal},
        {"kind", "Career", "career", bot::ButtonStyle::normal},
        {"kind", "Leadership", "leadership", bot::ButtonStyle::normal}},
       [](std::string_view t, const bot::Context&) {
         const std::string v = bot::lower(bot::trim(t));
         bot::GoalKind k{};
         if (bot::parse(v, k)) return Answer::accept(v);
         if (v.find("role") != std::string::npos || v.find("skill") != std::string::npos) return Answer::accept("current_role");
         if (v.find("career") != std::string::npos) return Answer::accept("career");
         if (v.find("lead") != std::string::npos) return Answer::accept("leadership");
         return Answer::refuse("Please pick current-role skill, career or leadership.");
       }},
      {"skill_tags", "Which skills does it build? Separate them with commas, e.g. public speaking, aws.",
       "Skill tags let you and L&D see which skills people are working on. Optional.", true, {},
       [](std::string_view t, const bot::Context&) {
         std::string problem;
         auto tags = smart::normalise_skill_tags(t, &problem);
         if (!tags) return Answer::refuse(problem);
         return Answer::accept(*tags);
       }},
  };

  // Activities: kind (or done), resource, planned hours; repeated until done.
  std::vector<bot::Button> kinds;
  for (const auto& k : kActivityKinds)
    kinds.push_back({"activity", std::string{k.label}, std::string{bot::to_string(k.kind)}, bot::ButtonStyle::normal});
  kinds.push_back({"activity", "Done", "done", bot::ButtonStyle::primary});
  for (int i = 0; i < kMaxActivities; ++i) {
    qs.push_back({activity_key(i, "kind"),
                  i == 0 ? "How will you learn it? Pick a kind of activity, or *done* to finish."
                         : "Another activity? Pick a kind, or *done* to finish.",
                  "Activities are the concrete steps: a course, a stretch task at work, a mentor, books, events.", false,
                  kinds, [](std::string_view t, const bot::Context&) {
                    const std::string v = bot::lower(bot::trim(t));
                    if (v == "done" || v == "no" || v == "none") return Answer::accept("done");
                    for (const auto& k : kActivityKinds) {
                      if (v == bot::to_string(k.kind) || v == bot::lower(k.label)) return Answer::accept(std::string{bot::to_string(k.kind)});
                    }
                    return Answer::refuse("Please pick one of the kinds, or type done.");
                  }});
    const auto kind = a.find(activity_key(i, "kind"));
    if (kind == a.end() || *kind == "done") break;
    qs.push_back({activity_key(i, "resource"), "Which one? Paste a link or describe it.",
                  "A course URL, a book title, the name of a mentor or project.", false, {},
                  [](std::string_view t, const bot::Context&) { return check_resource(t); }});
    qs.push_back({activity_key(i, "hours"), "How many hours do you plan for it? Type *skip* if you don't know.",
                  "A rough estimate is fine; it helps you plan your weekly learning time.", true, {},
                  [](std::string_view t, const bot::Context&) { return whole_number(t, 0, 1000, "h"); }});
  }
  return qs;
}

bot::Transition GoalDialog::finish(const json&, const json& a, const bot::Context& c) const {
  bot::Goal g;
  g.statement = a.at("statement").get<std::string>();
  g.measure = a.at("measure").get<std::string>();
  const auto text_of = [&](const char* key) {
    const auto& v = a.value(key, json{});
    return v.is_string() ? v.get<std::string>() : std::string{};
  };
  g.target = text_of("target");
  g.support = text_of("support");
  g.relevance = text_of("relevance");
  g.target_date = a.at("target_date").get<std::string>();
  bot::parse(a.at("kind").get<std::string>(), g.kind);
  if (const auto& tags = a.value("skill_tags", json{}); tags.is_array()) g.skill_tags = tags.get<std::vector<std::string>>();
  for (int i = 0; i < kMaxActivities; ++i) {
    const auto kind = a.find(activity_key(i, "kind"));
    if (kind == a.end() || *kind == "done") break;
    bot::Activity act;
    bot::parse(kind->get<std::string>(), act.kind);
    act.resource = a.at(activity_key(i, "resource")).get<std::string>();
    if (const auto& h = a.value(activity_key(i, "hours"), json{}); h.is_number_integer()) act.planned_minutes = h.get<int>() * 60;
    g.activities.push_back(std::move(act));
  }

  std::string text = "Added your goal: *" + g.statement + "*\n- Measure: " + g.measure;
  if (!g.target.empty()) text += "\n- Target: " + g.target;
  text += "\n- By: " + *g.target_date;
  if (!g.skill_tags.empty()) text += "\n- Skills: " + bot::join(g.skill_tags, ", ");
  text += "\n- Activities: " + std::to_string(g.activities.size());
  // A reviewed (or waiting) plan with a new goal is not the plan the manager saw: like an
  // edit with *plan*, it goes back to draft, which also withdraws the review reminders.
  const auto status = c.plan ? c.plan->status : bot::PlanStatus::draft;
  const bool reopens = status == bot::PlanStatus::submitted || status == bot::PlanStatus::approved ||
                       status == bot::PlanStatus::active;
  if (reopens) {
    text += "\nBecause your plan changed, it is a draft again and needs a new review: type *submit* when you want "
            "it reviewed.";
  } else {
    text += "\nSee all goals with *goals*";
    if (c.plan && status == bot::PlanStatus::draft) text += ", or send your plan for review with *submit*";
    text += ".";
  }
  bot::Transition t{std::nullopt, {bot::AddGoal{std::move(g)}},
                    {bot::Message::text(bot::Recipient::dm(c.person.id), std::move(text))}};
  if (reopens) {
    bot::Plan draft = *c.plan;
    draft.status = bot::PlanStatus::draft;
    t.effects.push_back(bot::SavePlan{std::move(draft)});
  }
  return t;
}

}  // namespace dialogs
