#pragma once
// Platform event ids already handled, for dedupe of redeliveries. Not thread-safe.
#include <SQLiteCpp/Database.h>

#include "bot/repositories.hpp"

namespace storage {

class SqliteProcessedEventRepository final : public bot::ProcessedEventRepository {
 public:
  explicit SqliteProcessedEventRepository(SQLite::Database& db);
  bool mark(bot::Platform platform, const std::string& event_id, bot::Instant now) override;
  std::size_t forget_before(bot::Instant cutoff) override;

 private:
  SQLite::Statement insert_;
  SQLite::Statement forget_;
};

}  // namespace storage
