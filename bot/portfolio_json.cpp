#include "bot/portfolio.hpp"

#include <nlohmann/json.hpp>

#include "bot/local_time.hpp"

namespace bot {

namespace {

using nlohmann::json;

template <class T>
json or_null(const std::optional<T>& v) {
  return v ? json(*v) : json(nullptr);
}

json time_or_null(const std::optional<Instant>& t) { return t ? json(format_utc(*t)) : json(nullptr); }

template <class Tag>
json id_or_null(const std::optional<Id<Tag>>& id) {
  return id ? json(id->value) : json(nullptr);
}

// ---- JSON -------------------------------------------------------------------------

json person_json(const PortfolioPerson& p) {
  return {{"id", p.id.value},
          {"display_name", p.display_name},
          {"email", or_null(p.email)},
          {"time_zone", p.time_zone},
          {"manager_name", or_null(p.manager_name)},
          {"team", or_null(p.team)},
          {"settings",
           {{"checkin_weekday", p.checkin_weekday},
            {"checkin_time", format_time_of_day(p.checkin_minute)},
            {"paused_until", or_null(p.paused_until)},
            {"weekly_budget_minutes", p.weekly_budget_minutes ? json(*p.weekly_budget_minutes) : json(nullptr)},
            {"visibility",
             {{"checkins", to_string(p.visibility.checkins)},
              {"reflections", to_string(p.visibility.reflections)},
              {"evidence", to_string(p.visibility.evidence)},
              {"achievements", to_string(p.visibility.achievements)}}}}}};
}

json plan_json(const PortfolioPlan& p) {
  return {{"id", p.id.value},
          {"period_start", p.period_start},
          {"period_end", p.period_end},
          {"aspiration_short", p.aspiration_short},
          {"aspiration_long", p.aspiration_long},
          {"objective", p.objective},
          {"status", std::string{to_string(p.status)}},
          {"submitted_at", time_or_null(p.submitted_at)},
          {"decided_at", time_or_null(p.decided_at)},
          {"created_at", format_utc(p.created_at)}};
}

json goal_json(const PortfolioGoal& g) {
  json activities = json::array();
  for (const auto& a : g.activities)
    activities.push_back({{"kind", std::string{to_string(a.kind)}},
                          {"title", a.title},
                          {"resource", a.resource},
                          {"planned_minutes", or_null(a.planned_minutes)},
                          {"status", a.status}});
  return {{"id", g.id.value},
          {"plan_id", id_or_null(g.plan)},
          {"statement", g.statement},
          {"measure", g.measure},
          {"target", g.target},
          {"support", g.support},
          {"relevance", g.relevance},
          {"target_date", or_null(g.target_date)},
          {"kind", std::string{to_string(g.kind)}},
          {"skill_tags", g.skill_tags},
          {"progress", g.progress},
          {"status", std::string{to_string(g.status)}},
          {"achieved_at", time_or_null(g.achieved_at)},
          {"created_at", format_utc(g.created_at)},
          {"activities", std::move(activities)}};
}

json checkin_json(const PortfolioCheckIn& c) {
  json goals = json::array();
  for (const auto& g : c.goals)
    goals.push_back({{"goal_id", g.goal.value}, {"goal_statement", g.goal_statement}, {"progress", g.progress}});
  return {{"id", c.id.value},
          {"iso_week", c.iso_week},
          {"revision", c.revision},
          {"overall_progress", or_null(c.overall_progress)},
          {"goals", std::move(goals)},
          {"minutes_spent", or_null(c.minutes_spent)},
          {"learned", c.learned},
          {"blockers", c.blockers},
          {"need_help", c.need_help},
          {"confidence", or_null(c.confidence)},
          {"next_step", c.next_step},
          {"created_at", format_utc(c.created_at)}};
}

json reflection_json(const PortfolioReflection& r) {
  return {{"id", r.id},
          {"checkin_id", id_or_null(r.checkin)},
          {"iso_week", or_null(r.iso_week)},
          {"learned", r.learned},
          {"apply", r.apply},
          {"differently", r.differently},
          {"visibility", r.visibility},
          {"follow_up_due_at", time_or_null(r.follow_up_due_at)},
          {"followed_up_at", time_or_null(r.followed_up_at)},
          {"applied", or_null(r.applied)},
          {"follow_up_note", r.follow_up_note},
          {"created_at", format_utc(r.created_at)}};
}

json evidence_json(const PortfolioEvidence& e) {
  return {{"id", e.id},
          {"goal_id", id_or_null(e.goal)},
          {"goal_statement", or_null(e.goal_statement)},
          {"content", e.content},
          {"url", or_null(e.url)},
          {"visibility", e.visibility},
          {"created_at", format_utc(e.created_at)}};
}

json achievement_json(const PortfolioAchievement& a) {
  return {{"id", a.id},
          {"goal_id", id_or_null(a.goal)},
          {"goal_statement", or_null(a.goal_statement)},
          {"text", a.text},
          {"shared", a.shared},
          {"channel", or_null(a.channel)},
          {"shared_at", time_or_null(a.shared_at)},
          {"created_at", format_utc(a.created_at)},
          {"kudos", a.kudos_from.size()},
          {"kudos_from", a.kudos_from}};
}

json review_json(const PortfolioReview& r) {
  return {{"id", r.id},
          {"plan_id", r.plan.value},
          {"kind", r.kind},
          {"decision", r.decision ? json(std::string{to_string(*r.decision)}) : json(nullptr)},
          {"comment", r.comment},
          {"reviewer_name", or_null(r.reviewer_name)},
          {"created_at", format_utc(r.created_at)}};
}

template <class T, class F>
json array_of(const std::vector<T>& items, F render) {
  json out = json::array();
  for (const auto& item : items) out.push_back(render(item));
  return out;
}

}  // namespace

nlohmann::json to_json(const Portfolio& p) {
  return {{"schema_version", kPortfolioSchemaVersion},
          {"exported_at", format_utc(p.exported_at)},
          {"person", person_json(p.person)},
          {"plans", array_of(p.plans, plan_json)},
          {"goals", array_of(p.goals, goal_json)},
          {"checkins", array_of(p.checkins, checkin_json)},
          {"reflections", array_of(p.reflections, reflection_json)},
          {"evidence", array_of(p.evidence, evidence_json)},
          {"achievements", array_of(p.achievements, achievement_json)},
          {"reviews", array_of(p.reviews, review_json)}};
}

}  // namespace bot

