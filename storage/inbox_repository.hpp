#pragma once
// Events acknowledged before they were handled (see bot::InboxRepository). Not
// thread-safe.
#include <SQLiteCpp/Database.h>

#include "bot/repositories.hpp"

namespace storage {

class SqliteInboxRepository final : public bot::InboxRepository {
 public:
  explicit SqliteInboxRepository(SQLite::Database& db);
  std::optional<std::int64_t> add(bot::Platform platform, const std::string& event_id, const std::string& payload,
                                  bot::Instant now) override;
  void remove(std::int64_t id) override;
  std::vector<bot::InboxEntry> waiting(bot::Platform platform) override;

 private:
  SQLite::Database& db_;
  SQLite::Statement insert_;
  SQLite::Statement remove_;
  SQLite::Statement waiting_;
};

}  // namespace storage
