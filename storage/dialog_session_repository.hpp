#pragma once
// Open dialogs on SQLite, one row per person, written with compare-and-set on a version
// column so that two writers cannot silently overwrite each other. Not thread-safe.
#include <SQLiteCpp/Database.h>

#include "bot/repositories.hpp"

namespace storage {

class SqliteDialogSessionRepository final : public bot::DialogSessionRepository {
 public:
  explicit SqliteDialogSessionRepository(SQLite::Database& db);
  std::optional<bot::StoredSession> load(bot::PersonId person) override;
  bool save(bot::PersonId person, const bot::DialogState& state, std::int64_t expected_version,
            bot::Instant now) override;
  bool remove(bot::PersonId person, std::int64_t expected_version) override;

 private:
  SQLite::Database& db_;
  SQLite::Statement load_;
  SQLite::Statement insert_;
  SQLite::Statement update_;
  SQLite::Statement remove_;
};

}  // namespace storage
