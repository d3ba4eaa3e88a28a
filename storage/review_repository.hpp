#pragma once
// Manager reviews of plans on SQLite: an append-only history of decisions.
// Not thread-safe.
#include <SQLiteCpp/Database.h>

#include "bot/repositories.hpp"

namespace storage {

class SqliteReviewRepository final : public bot::ReviewRepository {
 public:
  explicit SqliteReviewRepository(SQLite::Database& db);
  void add(const bot::PlanReview& review) override;
  std::vector<bot::PlanReview> for_plan(bot::PlanId plan) override;

 private:
  SQLite::Statement insert_;
  SQLite::Statement for_plan_;
};

}  // namespace storage
