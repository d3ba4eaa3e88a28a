#include "storage/goal_repository.hpp"

#include <nlohmann/json.hpp>

#include "storage/statement.hpp"

namespace storage {

namespace {

constexpr const char* kGoalColumns =
    "SELECT id, person_id, statement, progress, target_date, plan_id, measure, target, support, relevance, kind, "
    "skill_tags, status FROM goals ";

bot::Goal read_goal(SQLite::Statement& s) {
  bot::Goal g;
  g.id = bot::GoalId{s.getColumn(0).getInt64()};
  g.person = bot::PersonId{s.getColumn(1).getInt64()};
  g.statement = s.getColumn(2).getString();
  g.progress = s.getColumn(3).getInt();
  g.target_date = optional_text(s.getColumn(4));
  if (!s.getColumn(5).isNull()) g.plan = bot::PlanId{s.getColumn(5).getInt64()};
  g.measure = s.getColumn(6).getString();
  g.target = s.getColumn(7).getString();
  g.support = s.getColumn(8).getString();
  g.relevance = s.getColumn(9).getString();
  bot::parse(s.getColumn(10).getString(), g.kind);
  g.skill_tags = nlohmann::json::parse(s.getColumn(11).getString()).get<std::vector<std::string>>();
  bot::parse(s.getColumn(12).getString(), g.status);
  return g;
}

}  // namespace

SqliteGoalRepository::SqliteGoalRepository(SQLite::Database& db)
    : db_(db),
      active_(db, std::string{kGoalColumns} + "WHERE person_id = ?1 AND status = 'active' ORDER BY position, id"),
      // Through goals_person (person_id, status).
      achieved_(db, std::string{kGoalColumns} +
                        "WHERE person_id = ?1 AND status = 'achieved' AND plan_id = ?2 ORDER BY position, id"),
      find_(db, std::string{kGoalColumns} + "WHERE id = ?1"),
      activities_(db, "SELECT kind, resource, planned_minutes FROM activities WHERE goal_id = ?1 ORDER BY id"),
      insert_(db,
              "INSERT INTO goals (plan_id, person_id, statement, measure, target, support, relevance, target_date, "
              "kind, skill_tags, progress, status, position, created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, "
              "?7, ?8, ?9, ?10, ?11, ?12, (SELECT coalesce(max(position), 0) + 1 FROM goals WHERE person_id = ?2), "
              "?13, ?13)"),
      insert_activity_(db,
                       "INSERT INTO activities (goal_id, kind, title, resource, planned_minutes, created_at) "
                       "VALUES (?1, ?2, ?3, ?3, ?4, ?5)"),
      attach_(db,
              "UPDATE goals SET plan_id = ?2, updated_at = ?3 WHERE person_id = ?1 AND plan_id IS NULL "
              "AND status = 'active'") {}

std::vector<bot::Goal> SqliteGoalRepository::active_for(bot::PersonId person) {
  std::vector<bot::Goal> out;
  {
    Use s{active_};
    s->bind(1, person.value);
    while (s->executeStep()) out.push_back(read_goal(*s));
  }
  for (auto& g : out) g.activities = activities_of(g.id);
  return out;
}

std::vector<bot::Goal> SqliteGoalRepository::achieved_in(bot::PersonId person, bot::PlanId plan) {
  std::vector<bot::Goal> out;
  Use s{achieved_};
  s->bind(1, person.value);
  s->bind(2, plan.value);
  while (s->executeStep()) out.push_back(read_goal(*s));
  return out;
}

std::optional<bot::Goal> SqliteGoalRepository::find(bot::GoalId id) {
  std::optional<bot::Goal> found;
  {
    Use s{find_};
    s->bind(1, id.value);
    if (!s->executeStep()) return std::nullopt;
    found = read_goal(*s);
  }
  found->activities = activities_of(found->id);
  return found;
}

std::vector<bot::Activity> SqliteGoalRepository::activities_of(bot::GoalId goal) {
  std::vector<bot::Activity> out;
  Use a{activities_};
  a->bind(1, goal.value);
  while (a->executeStep()) {
    bot::Activity act;
    bot::parse(a->getColumn(0).getString(), act.kind);
    act.resource = a->getColumn(1).getString();
    act.planned_minutes = optional_int(a->getColumn(2));
    out.push_back(std::move(act));
  }
  return out;
}

int SqliteGoalRepository::attach_unplanned(bot::PersonId person, bot::PlanId plan, bot::Instant now) {
  Use s{attach_};
  s->bind(1, person.value);
  s->bind(2, plan.value);
  s->bind(3, bot::to_unix_ms(now));
  return s->exec();
}

bot::Goal SqliteGoalRepository::add(const bot::Goal& goal, bot::Instant now) {
  bot::Goal stored = goal;
  {
    Use s{insert_};
    if (goal.plan) s->bind(1, goal.plan->value);
    else s->bind(1);
    s->bind(2, goal.person.value);
    s->bind(3, goal.statement);
    s->bind(4, goal.measure);
    s->bind(5, goal.target);
    s->bind(6, goal.support);
    s->bind(7, goal.relevance);
    bind_optional(*s, 8, goal.target_date);
    s->bind(9, std::string{bot::to_string(goal.kind)});
    s->bind(10, nlohmann::json(goal.skill_tags).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
    s->bind(11, goal.progress);
    s->bind(12, std::string{bot::to_string(goal.status)});
    s->bind(13, bot::to_unix_ms(now));
    s->exec();
    stored.id = bot::GoalId{db_.getLastInsertRowid()};
  }
  for (const auto& act : goal.activities) {
    Use a{insert_activity_};
    a->bind(1, stored.id.value);
    a->bind(2, std::string{bot::to_string(act.kind)});
    a->bind(3, act.resource);
    bind_optional(*a, 4, act.planned_minutes);
    a->bind(5, bot::to_unix_ms(now));
    a->exec();
  }
  return stored;
}

}  // namespace storage
