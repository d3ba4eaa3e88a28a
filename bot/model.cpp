#include "bot/model.hpp"

#include <array>
#include <utility>

namespace bot {

namespace {

// One table per enum gives both directions, so the names stored in SQLite and shown
// in exports cannot drift apart.
template <class E, std::size_t N>
using Names = std::array<std::pair<E, std::string_view>, N>;

constexpr Names<PlanStatus, 7> kPlanStatus{{{PlanStatus::draft, "draft"},
                                            {PlanStatus::submitted, "submitted"},
                                            {PlanStatus::approved, "approved"},
                                            {PlanStatus::changes_requested, "changes_requested"},
                                            {PlanStatus::active, "active"},
                                            {PlanStatus::completed, "completed"},
                                            {PlanStatus::archived, "archived"}}};
constexpr Names<GoalKind, 3> kGoalKind{
    {{GoalKind::current_role, "current_role"}, {GoalKind::career, "career"}, {GoalKind::leadership, "leadership"}}};
constexpr Names<ActivityKind, 7> kActivityKind{{{ActivityKind::course, "course"},
                                                {ActivityKind::on_the_job, "on_the_job"},
                                                {ActivityKind::mentoring, "mentoring"},
                                                {ActivityKind::reading, "reading"},
                                                {ActivityKind::conference, "conference"},
                                                {ActivityKind::cross_team, "cross_team"},
                                                {ActivityKind::other, "other"}}};
constexpr Names<GoalStatus, 3> kGoalStatus{
    {{GoalStatus::active, "active"}, {GoalStatus::achieved, "achieved"}, {GoalStatus::dropped, "dropped"}}};

constexpr Names<Visibility, 3> kVisibility{
    {{Visibility::owner, "private"}, {Visibility::manager, "manager"}, {Visibility::team, "team"}}};
constexpr Names<ItemKind, 4> kItemKind{{{ItemKind::checkins, "checkins"},
                                        {ItemKind::reflections, "reflections"},
                                        {ItemKind::evidence, "evidence"},
                                        {ItemKind::achievements, "achievements"}}};

template <class E, std::size_t N>
std::string_view name_of(const Names<E, N>& names, E e) {
  for (const auto& [v, n] : names)
    if (v == e) return n;
  return "unknown";
}

template <class E, std::size_t N>
bool value_of(const Names<E, N>& names, std::string_view text, E& out) {
  for (const auto& [v, n] : names) {
    if (n == text) {
      out = v;
      return true;
    }
  }
  return false;
}

}  // namespace

std::string_view to_string(Visibility v) { return name_of(kVisibility, v); }
std::string_view to_string(ItemKind k) { return name_of(kItemKind, k); }
bool parse(std::string_view t, Visibility& out) { return value_of(kVisibility, t, out); }
bool parse(std::string_view t, ItemKind& out) { return value_of(kItemKind, t, out); }

Visibility VisibilityDefaults::of(ItemKind k) const {
  switch (k) {
    case ItemKind::checkins: return checkins;
    case ItemKind::reflections: return reflections;
    case ItemKind::evidence: return evidence;
    case ItemKind::achievements: return achievements;
  }
  return Visibility::owner;
}

void VisibilityDefaults::set(ItemKind k, Visibility v) {
  switch (k) {
    case ItemKind::checkins: checkins = v; break;
    case ItemKind::reflections: reflections = v; break;
    case ItemKind::evidence: evidence = v; break;
    case ItemKind::achievements: achievements = v; break;
  }
}

bool may_see(const Person& owner, const Person& viewer, ItemKind kind) {
  if (viewer.id == owner.id) return true;
  const Visibility v = owner.prefs.visibility.of(kind);
  if (v == Visibility::owner) return false;
  if (owner.manager == viewer.id) return true;  // manager and team levels both include the manager
  return v == Visibility::team && owner.team && viewer.team == owner.team;
}

std::string_view to_string(PlanStatus s) { return name_of(kPlanStatus, s); }
std::string_view to_string(GoalKind k) { return name_of(kGoalKind, k); }
std::string_view to_string(ActivityKind k) { return name_of(kActivityKind, k); }
std::string_view to_string(GoalStatus s) { return name_of(kGoalStatus, s); }
bool parse(std::string_view t, PlanStatus& out) { return value_of(kPlanStatus, t, out); }
bool parse(std::string_view t, GoalKind& out) { return value_of(kGoalKind, t, out); }
bool parse(std::string_view t, ActivityKind& out) { return value_of(kActivityKind, t, out); }
bool parse(std::string_view t, GoalStatus& out) { return value_of(kGoalStatus, t, out); }

}  // namespace bot
