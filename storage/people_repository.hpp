#pragma once
// People and their platform identities on SQLite. Erasing a person deletes their row
// and lets the schema's ON DELETE CASCADE remove everything of theirs; only a count
// per UTC month is kept. Not thread-safe.
#include <SQLiteCpp/Database.h>

#include "bot/repositories.hpp"

namespace storage {

// The stored visibility defaults ({"checkins": "manager", ...}); a kind left out, or
// not understood, is private.
bot::VisibilityDefaults parse_visibility(const std::string& text);

class SqlitePeopleRepository final : public bot::PeopleRepository {
 public:
  explicit SqlitePeopleRepository(SQLite::Database& db);
  std::optional<bot::Person> find(bot::PersonId id) override;
  std::optional<bot::Person> find_by_identity(const bot::Identity& who) override;
  bot::Person create(const bot::Person& person, const bot::Identity& who) override;
  void update(const bot::Person& person) override;
  std::vector<bot::Identity> identities(bot::PersonId id) override;
  std::vector<bot::Person> reports(bot::PersonId manager) override;
  // Runs in the caller's transaction: the DELETE and the erasure count commit together.
  void erase(bot::PersonId id, bot::Instant now) override;
  std::uint64_t erasures_run() const override { return erasures_run_; }

 private:
  SQLite::Database& db_;
  SQLite::Statement find_;
  SQLite::Statement find_by_identity_;
  SQLite::Statement insert_;
  SQLite::Statement insert_identity_;
  SQLite::Statement update_;
  SQLite::Statement identities_;
  SQLite::Statement reports_;
  SQLite::Statement foreign_keys_;
  SQLite::Statement erase_;
  SQLite::Statement count_erasure_;
  std::uint64_t erasures_run_ = 0;
};

}  // namespace storage
