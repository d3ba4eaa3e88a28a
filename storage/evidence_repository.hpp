#pragma once
// Evidence (notes, links, certificates) on SQLite. Not thread-safe.
#include <SQLiteCpp/Database.h>

#include "bot/repositories.hpp"

namespace storage {

class SqliteEvidenceRepository final : public bot::EvidenceRepository {
 public:
  explicit SqliteEvidenceRepository(SQLite::Database& db);
  bot::Evidence add(const bot::Evidence& evidence) override;
  std::vector<bot::Evidence> for_goal(bot::GoalId goal) override;

 private:
  SQLite::Database& db_;
  SQLite::Statement insert_;
  SQLite::Statement for_goal_;
};

}  // namespace storage
