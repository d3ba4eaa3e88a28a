// The privacy rule of org reports (bot/report.hpp): which teams are shown on their own,
// which are folded together, who is left out; and the period a report covers.
#include "bot/report.hpp"

#include <algorithm>
#include <chrono>
#include <map>

#include "bot/local_time.hpp"

namespace bot {

namespace {

// Running totals for a skills group: tags keyed by name so that folded teams add up.
// Each person belongs to exactly one team, so distinct-people counts of different
// teams add up to the distinct count of their union.
struct SkillsTotals {
  GroupKind kind = GroupKind::team;
  std::optional<std::string> team;
  int people = 0;
  int people_with_active_goals = 0;
  std::map<std::string, int> tags;
};

void add(SkillsTotals& to, const TeamSkills& from) {
  to.people += from.people;
  to.people_with_active_goals += from.people_with_active_goals;
  for (const auto& t : from.tags) to.tags[t.tag] += t.people;
}

void add(SkillsTotals& to, const SkillsTotals& from) {
  to.people += from.people;
  to.people_with_active_goals += from.people_with_active_goals;
  for (const auto& [tag, people] : from.tags) to.tags[tag] += people;
}

void add(ParticipationGroup& to, const TeamParticipation& from) {
  to.people += from.people;
  to.people_with_plan += from.people_with_plan;
  to.plans_approved += from.plans_approved;
  to.checkins += from.checkins;
  to.learning_minutes += from.learning_minutes;
}

// Folding a small team into "other teams".
void add(ParticipationGroup& to, const ParticipationGroup& from) {
  to.people += from.people;
  to.people_with_plan += from.people_with_plan;
  to.plans_approved += from.plans_approved;
  to.checkins += from.checkins;
  to.learning_minutes += from.learning_minutes;
}

// The groups a report may show, in display order (teams by name, "(no team)", "other
// teams"), and how many people are left out. Rows for the same team are merged first,
// so a caller cannot split a small team into rows that each look harmless.
template <class Group, class Raw>
std::vector<Group> privacy_groups(const std::vector<Raw>& teams, int& left_out) {
  std::map<std::string, Group> named;
  Group no_team;
  no_team.kind = GroupKind::no_team;
  for (const Raw& t : teams) {
    if (!t.team) {
      add(no_team, t);
      continue;
    }
    Group& g = named[*t.team];
    g.kind = GroupKind::team;
    g.team = t.team;
    add(g, t);
  }
  std::vector<Group> out;
  Group other;
  other.kind = GroupKind::other_teams;
  const auto place = [&](Group& g) {
    if (g.people >= kMinGroupPeople) out.push_back(std::move(g));
    else if (g.people > 0) add(other, g);
  };
  for (auto& [name, g] : named) place(g);
  place(no_team);
  left_out = 0;
  if (other.people >= kMinGroupPeople) out.push_back(std::move(other));
  else left_out = other.people;
  return out;
}

SkillsGroup to_group(const SkillsTotals& t, int top) {
  SkillsGroup g;
  g.kind = t.kind;
  g.team = t.team;
  g.people = t.people;
  g.people_with_active_goals = t.people_with_active_goals;
  for (const auto& [tag, people] : t.tags) {
    if (people <= 0) continue;
    TagCount c;
    c.tag = tag;
    c.people = people;
    g.tags.push_back(std::move(c));
  }
  // The map gave tag order; a stable sort by people keeps it for ties.
  std::stable_sort(g.tags.begin(), g.tags.end(), [](const TagCount& a, const TagCount& b) { return a.people > b.people; });
  if (g.tags.size() > static_cast<std::size_t>(top)) g.tags.resize(static_cast<std::size_t>(top));
  return g;
}

}  // namespace

ReportPeriod report_period(Instant now) {
  // Seven days back is always the previous ISO week, so the weeks need no calendar
  // arithmetic beyond iso_week itself.
  ReportPeriod p;
  p.today = local_date(now, "UTC");
  for (int back = kReportWeeks - 1; back >= 0; --back)
    p.weeks.push_back(iso_week(now - std::chrono::days{7 * back}, "UTC"));
  return p;
}

std::string group_label(GroupKind kind, const std::optional<std::string>& team) {
  switch (kind) {
    case GroupKind::team:
      return team.value_or("");
    case GroupKind::no_team:
      return "(no team)";
    case GroupKind::other_teams:
      return "other teams (fewer than " + std::to_string(kMinGroupPeople) + " people each)";
    case GroupKind::all_teams:
      return "all teams";
  }
  return "";
}

std::string_view to_string(GroupKind kind) {
  switch (kind) {
    case GroupKind::team:
      return "team";
    case GroupKind::no_team:
      return "no_team";
    case GroupKind::other_teams:
      return "other_teams";
    case GroupKind::all_teams:
      return "all_teams";
  }
  return "team";
}

std::int64_t completion_tenths(const ParticipationGroup& group, int weeks) {
  const std::int64_t possible = std::int64_t{group.people} * weeks;
  if (possible <= 0 || group.checkins <= 0) return 0;
  // round(1000 * checkins / possible), half up, in integers.
  return (2000 * std::int64_t{group.checkins} + possible) / (2 * possible);
}

std::int64_t hours_tenths(std::int64_t minutes) { return minutes <= 0 ? 0 : (minutes + 3) / 6; }

std::string format_tenths(std::int64_t tenths) {
  if (tenths < 0) return "-" + format_tenths(-tenths);
  return std::to_string(tenths / 10) + "." + std::to_string(tenths % 10);
}

SkillsReport make_skills_report(const std::vector<TeamSkills>& teams, int top, Instant generated_at) {
  SkillsReport r;
  r.generated_at = generated_at;
  r.top = std::max(top, 1);
  const auto groups = privacy_groups<SkillsTotals>(teams, r.left_out_people);
  // The total covers the groups shown and nobody else (see the privacy rule).
  SkillsTotals all;
  all.kind = GroupKind::all_teams;
  for (const auto& g : groups) {
    add(all, g);
    r.groups.push_back(to_group(g, r.top));
  }
  if (all.people >= kMinGroupPeople) r.groups.push_back(to_group(all, r.top));
  return r;
}

ParticipationReport make_participation_report(const std::vector<TeamParticipation>& teams, ReportPeriod period,
                                              Instant generated_at) {
  ParticipationReport r;
  r.generated_at = generated_at;
  r.period = std::move(period);
  r.groups = privacy_groups<ParticipationGroup>(teams, r.left_out_people);
  return r;
}

}  // namespace bot
