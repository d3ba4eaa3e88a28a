#pragma once
// Opening the SQLite file: refuse what we must not touch (not a database, written by a
// newer Coachbot) before writing anything, then set the pragmas and apply pending
// migrations. A path with no file yet gets a new database built aside and moved into
// place whole. One Database object per thread.
#include <memory>
#include <stdexcept>
#include <string>

#include <SQLiteCpp/Database.h>

namespace storage {

// A database that cannot be used; what() names the file and says why.
class DatabaseError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct OpenOptions {
  std::string path;
  std::string synchronous = "NORMAL";  // NORMAL or FULL
  int busy_timeout_ms = 5000;
};

std::unique_ptr<SQLite::Database> open_database(const OpenOptions& options);

// The schema version stored in the file (PRAGMA user_version).
int schema_version(SQLite::Database& db);

}  // namespace storage
