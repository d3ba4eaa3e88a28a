#pragma once
// Goals on SQLite (read side used by the check-in; the plan builder adds writes).
// Not thread-safe.
#include <SQLiteCpp/Database.h>

#include "bot/repositories.hpp"

namespace storage {

class SqliteGoalRepository final : public bot::GoalRepository {
 public:
  explicit SqliteGoalRepository(SQLite::Database& db);
  std::vector<bot::Goal> active_for(bot::PersonId person) override;

 private:
  SQLite::Statement active_;
};

}  // namespace storage
