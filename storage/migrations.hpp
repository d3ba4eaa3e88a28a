#pragma once
// The schema as an ordered list of migrations. Migration N moves a database from
// PRAGMA user_version N-1 to N; they are applied at start, each in its own
// transaction (a new file gets them all in one), and never edited once released: a
// change is a new migration.
#include <span>
#include <string_view>

namespace storage {

struct Migration {
  int version;
  std::string_view sql;
};

std::span<const Migration> migrations();
int latest_schema_version();

}  // namespace storage
