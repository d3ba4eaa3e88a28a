#pragma once
// Reads a person's whole record for `coachbot export`: every table that holds
// something of theirs, joined to the names a reader needs (manager, reviewers, goal
// statements), in one read transaction so the export is a consistent snapshot even
// while the service writes: its own, or the caller's when one is open on the
// connection. Read-only. Not thread-safe: one per connection.
#include <optional>
#include <string>
#include <vector>

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>

#include "bot/ids.hpp"
#include "bot/portfolio.hpp"

namespace storage {

// A person found by one of their platform identities.
struct PersonMatch {
  bot::PersonId id;
  std::string display_name;
  bot::Identity identity;  // the identity that matched
};

class SqliteExportRepository {
 public:
  explicit SqliteExportRepository(SQLite::Database& db);

  // The portfolio without exported_at (the caller stamps it); nullopt for an unknown id.
  std::optional<bot::Portfolio> load(bot::PersonId person);

  bool exists(bot::PersonId person);

  // Identities on any platform whose user id is `user` (ASCII case ignored, a leading
  // '@' allowed), one row per identity, ordered by person.
  std::vector<PersonMatch> find_by_user(const std::string& user);

 private:
  SQLite::Database& db_;
  SQLite::Statement person_;
  SQLite::Statement by_user_;
  SQLite::Statement plans_;
  SQLite::Statement goals_;
  SQLite::Statement activities_;
  SQLite::Statement checkins_;
  SQLite::Statement checkin_goals_;
  SQLite::Statement reflections_;
  SQLite::Statement evidence_;
  SQLite::Statement achievements_;
  SQLite::Statement kudos_;
  SQLite::Statement reviews_;
};

}  // namespace storage
