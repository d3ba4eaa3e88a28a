#pragma once
// Achievements and the kudos people give them, on SQLite. One achievement per goal
// (a unique index), so approving the post again updates it rather than adding a
// second; one kudos per giver and achievement. Not thread-safe.
#include <SQLiteCpp/Database.h>

#include "bot/repositories.hpp"

namespace storage {

class SqliteAchievementRepository final : public bot::AchievementRepository {
 public:
  explicit SqliteAchievementRepository(SQLite::Database& db);
  bot::Achievement add(const bot::Achievement& achievement) override;
  std::optional<bot::Achievement> for_goal(bot::GoalId goal) override;
  std::vector<bot::Achievement> since(bot::PersonId person, bot::Instant since) override;
  bool add_kudos(bot::AchievementId achievement, bot::PersonId giver, bot::Instant now) override;
  std::vector<bot::PersonId> kudos(bot::AchievementId achievement) override;
  std::vector<bot::GoalId> kudos_given_by(bot::PersonId giver) override;

 private:
  SQLite::Statement upsert_;
  SQLite::Statement for_goal_;
  SQLite::Statement since_;
  SQLite::Statement add_kudos_;
  SQLite::Statement kudos_;
  SQLite::Statement kudos_given_by_;
};

}  // namespace storage
