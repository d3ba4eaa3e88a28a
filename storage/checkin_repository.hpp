#pragma once
// Check-ins and their per-goal progress on SQLite. Revisions are append-only: a new
// answer for the same week is a new row, so history survives edits. Not thread-safe.
#include <SQLiteCpp/Database.h>

#include "bot/repositories.hpp"

namespace storage {

class SqliteCheckInRepository final : public bot::CheckInRepository {
 public:
  explicit SqliteCheckInRepository(SQLite::Database& db);
  std::optional<bot::CheckIn> latest(bot::PersonId person, const std::string& iso_week) override;
  bot::CheckIn add(bot::CheckIn checkin) override;
  std::vector<bot::CheckIn> history(bot::PersonId person) override;

 private:
  std::vector<bot::CheckInGoalProgress> goals_of(bot::CheckInId id);

  SQLite::Database& db_;
  SQLite::Statement latest_;
  SQLite::Statement next_revision_;
  SQLite::Statement insert_;
  SQLite::Statement insert_goal_;
  SQLite::Statement update_goal_progress_;
  SQLite::Statement goals_;
  SQLite::Statement history_;
};

}  // namespace storage
