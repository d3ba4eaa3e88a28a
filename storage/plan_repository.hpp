#pragma once
// Learning plans on SQLite. Not thread-safe.
#include <SQLiteCpp/Database.h>

#include "bot/repositories.hpp"

namespace storage {

class SqlitePlanRepository final : public bot::PlanRepository {
 public:
  explicit SqlitePlanRepository(SQLite::Database& db);
  std::optional<bot::Plan> find(bot::PlanId id) override;
  std::optional<bot::Plan> current(bot::PersonId person, const std::string& day) override;
  bot::Plan save(const bot::Plan& plan, bot::Instant now) override;

 private:
  SQLite::Database& db_;
  SQLite::Statement find_;
  SQLite::Statement current_;
  SQLite::Statement insert_;
  SQLite::Statement update_;
};

}  // namespace storage
