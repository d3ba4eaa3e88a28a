#pragma once
// `coachbot import-directory` on SQLite: applies a directory read by bot/directory.hpp
// to people, their Slack and Teams ids and their manager links.
//
// A row is matched to a stored person by email (letter case ignored) first, then by
// platform id; a row that matches nobody creates a person. Managers are resolved once
// every row is matched, so a manager may come later in the file than their reports.
// A row is skipped, with the reason, when its email and platform id name two different
// people, when it repeats a person of an earlier row, when its manager is nowhere, or
// when it would make a chain of managers loop. Everything happens in one IMMEDIATE
// transaction and each row is written inside its own savepoint, so a row is applied
// whole or not at all and the service never sees half an import. Only what differs is
// written: importing the same file again reports every person unchanged. Nothing is
// ever deleted (a person missing from the file is left as they are).
//
// Not thread-safe: one per connection.
#include <cstddef>
#include <functional>

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>

#include "bot/clock.hpp"
#include "bot/dialog.hpp"
#include "bot/directory.hpp"

namespace storage {

class SqliteDirectoryImport {
 public:
  // Called after each row of each pass (matching, then writing); `total` is twice the
  // number of rows.
  using Progress = std::function<void(std::size_t done, std::size_t total)>;
  // Called with what the import changed, inside its transaction just before the commit
  // (not on a dry run): what follows from the changes (timers) commits with them.
  using BeforeCommit = std::function<void(const bot::DirectoryImportResult&)>;

  explicit SqliteDirectoryImport(SQLite::Database& db);

  // The directory's own problems come back among the skipped rows, in file order. New
  // people get `defaults` for what a row does not say (time zone, check-in slot).
  // With `commit` false nothing is written: the result says what would have changed.
  // Throws SQLite::Exception when the database fails (not for a row's data); then
  // nothing of the import is kept.
  bot::DirectoryImportResult run(const bot::Directory& directory, const bot::Defaults& defaults, bot::Instant now,
                                 bool commit, const Progress& progress = {}, const BeforeCommit& before_commit = {});

 private:
  class Run;  // one import's rows and lookups (directory_import.cpp)
  SQLite::Database& db_;
  SQLite::Statement by_email_;
  SQLite::Statement by_identity_;
  SQLite::Statement by_user_;
  SQLite::Statement person_;
  SQLite::Statement identities_;
  SQLite::Statement manager_of_;
  SQLite::Statement label_;
  SQLite::Statement insert_;
  SQLite::Statement update_;
  SQLite::Statement insert_identity_;
  SQLite::Statement savepoint_;
  SQLite::Statement release_;
  SQLite::Statement rollback_to_;
};

}  // namespace storage
