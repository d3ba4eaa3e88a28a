#include "storage/goal_repository.hpp"

#include "storage/statement.hpp"

namespace storage {

SqliteGoalRepository::SqliteGoalRepository(SQLite::Database& db)
    : active_(db,
              "SELECT id, person_id, statement, progress, target_date FROM goals "
              "WHERE person_id = ?1 AND status = 'active' ORDER BY position, id") {}

std::vector<bot::Goal> SqliteGoalRepository::active_for(bot::PersonId person) {
  std::vector<bot::Goal> out;
  Use s{active_};
  s->bind(1, person.value);
  while (s->executeStep()) {
    bot::Goal g;
    g.id = bot::GoalId{s->getColumn(0).getInt64()};
    g.person = bot::PersonId{s->getColumn(1).getInt64()};
    g.statement = s->getColumn(2).getString();
    g.progress = s->getColumn(3).getInt();
    g.target_date = optional_text(s->getColumn(4));
    g.status = bot::GoalStatus::active;
    out.push_back(std::move(g));
  }
  return out;
}

}  // namespace storage
