#pragma once
// Goals and their activities on SQLite. Not thread-safe.
#include <SQLiteCpp/Database.h>

#include "bot/repositories.hpp"

namespace storage {

class SqliteGoalRepository final : public bot::GoalRepository {
 public:
  explicit SqliteGoalRepository(SQLite::Database& db);
  std::vector<bot::Goal> active_for(bot::PersonId person) override;
  std::vector<bot::Goal> achieved_in(bot::PersonId person, bot::PlanId plan) override;
  bot::Goal add(const bot::Goal& goal, bot::Instant now) override;
  std::optional<bot::Goal> find(bot::GoalId id) override;
  int attach_unplanned(bot::PersonId person, bot::PlanId plan, bot::Instant now) override;

 private:
  std::vector<bot::Activity> activities_of(bot::GoalId goal);

  SQLite::Database& db_;
  SQLite::Statement active_;
  SQLite::Statement achieved_;
  SQLite::Statement find_;
  SQLite::Statement activities_;
  SQLite::Statement insert_;
  SQLite::Statement insert_activity_;
  SQLite::Statement attach_;
};

}  // namespace storage
