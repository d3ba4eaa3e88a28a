#pragma once
// bot::ScheduleRepository on the `schedule` table: one timer row per (kind, person).
// Not thread-safe: one per connection.
#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>

#include "bot/repositories.hpp"

namespace storage {

class SqliteScheduleRepository final : public bot::ScheduleRepository {
 public:
  explicit SqliteScheduleRepository(SQLite::Database& db);
  void put(const bot::ScheduleEntry& entry, bot::Instant now) override;
  std::optional<bot::ScheduleEntry> find(const std::string& kind, bot::PersonId person) override;
  void remove(const std::string& kind, bot::PersonId person) override;
  std::vector<bot::ScheduleEntry> due(bot::Instant now, std::size_t limit) override;
  std::optional<bot::Instant> next_run() override;

 private:
  SQLite::Statement put_;
  SQLite::Statement find_;
  SQLite::Statement remove_;
  SQLite::Statement due_;
  SQLite::Statement next_;
};

}  // namespace storage
