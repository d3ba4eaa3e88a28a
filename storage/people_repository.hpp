#pragma once
// People and their platform identities on SQLite. Not thread-safe.
#include <SQLiteCpp/Database.h>

#include "bot/repositories.hpp"

namespace storage {

class SqlitePeopleRepository final : public bot::PeopleRepository {
 public:
  explicit SqlitePeopleRepository(SQLite::Database& db);
  std::optional<bot::Person> find(bot::PersonId id) override;
  std::optional<bot::Person> find_by_identity(const bot::Identity& who) override;
  bot::Person create(const bot::Person& person, const bot::Identity& who) override;
  void update(const bot::Person& person) override;
  std::vector<bot::Identity> identities(bot::PersonId id) override;

 private:
  SQLite::Database& db_;
  SQLite::Statement find_;
  SQLite::Statement find_by_identity_;
  SQLite::Statement insert_;
  SQLite::Statement insert_identity_;
  SQLite::Statement update_;
  SQLite::Statement identities_;
};

}  // namespace storage
