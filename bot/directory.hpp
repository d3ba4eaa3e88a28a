#pragma once
// The org directory behind `coachbot import-directory`: a CSV file (RFC 4180, with a
// header row) or JSON (an array of objects) with one person per row, read into checked
// and normalised entries, and the report of what an import changed.
//
// A row that cannot be used becomes a RowProblem naming its line (CSV: the line the
// record starts on) or item (JSON: 1-based) and is left out; the other rows are still
// used. A problem with the file as a whole (unknown or repeated columns, no column
// that says who a row is, broken JSON) is an error and nothing in the file is used.
// Applying entries to the database is storage/directory_import.hpp's job. Pure
// functions over strings; thread-safe.
#include <array>
#include <compare>
#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "bot/ids.hpp"

namespace bot {

enum class DirectoryFormat { csv, json };

// Where a row came from: "line 7" of a CSV file or "item 3" of a JSON array.
struct RowRef {
  DirectoryFormat format = DirectoryFormat::csv;
  std::size_t number = 0;
  std::string str() const;
  auto operator<=>(const RowRef&) const = default;
};

struct RowProblem {
  RowRef where;
  std::string message;
  // The row's email when it had a usable one, so that a row naming this person as its
  // manager can say where they went.
  std::optional<std::string> email;
};

// A person as one row describes them. For team, region and manager_email, nullopt
// means the file has no such column (or a JSON item no such key), so the stored value
// is kept, and an empty string means the cell is empty (or null), so it is cleared: a
// directory says who has no manager. A name or time zone cannot be cleared; nullopt
// keeps the stored one.
struct DirectoryEntry {
  RowRef where;
  std::optional<std::string> email;  // lower case
  std::optional<std::string> name;
  std::optional<std::string> time_zone;  // an IANA name
  std::optional<std::string> team;
  std::optional<std::string> region;  // a free-text label, e.g. for holiday calendars
  std::optional<std::string> manager_email;  // lower case
  // Platform user ids. The tenant (Slack team id, Teams tenant id) is empty when the
  // row does not give it; such an id matches one already stored in any tenant.
  std::optional<Identity> slack;
  std::optional<Identity> teams;
};

// The columns a file may have (CSV header cells and JSON keys, letter case, spaces
// around and '-' or ' ' for '_' ignored). Any other column is an error.
inline constexpr std::array<std::string_view, 10> kDirectoryColumns = {
    "email", "name", "manager_email", "team", "time_zone", "region", "slack_id", "slack_team", "teams_aad_id",
    "teams_tenant"};

// One row's non-empty and empty cells by column (normalised names, only the columns
// the row has).
using DirectoryCells = std::map<std::string, std::string>;

// Checks and normalises one row: trimmed text, valid UTF-8, no control characters,
// plausible emails, an IANA time zone, something that says who the row is.
std::variant<DirectoryEntry, RowProblem> check_directory_row(RowRef where, const DirectoryCells& cells);

struct Directory {
  DirectoryFormat format = DirectoryFormat::csv;
  std::vector<std::string> columns;     // normalised, in file order
  std::size_t rows = 0;                 // data rows read, empty ones left out
  std::vector<DirectoryEntry> entries;  // rows that passed the checks, in file order
  std::vector<RowProblem> problems;     // rows left out, in file order
};

struct DirectoryRead {
  std::optional<Directory> directory;
  std::string error;  // without a directory: what is wrong with the file as a whole
};

// .csv or .json (any case) decides; otherwise JSON when the text starts with '[' or
// '{' (after a byte order mark and spaces), else CSV.
DirectoryFormat detect_directory_format(std::string_view file_name, std::string_view content);
DirectoryRead read_directory(std::string_view content, DirectoryFormat format);

// What an import changed. before/after nullopt is shown as "(none)".
struct FieldChange {
  std::string field;  // "team", "manager", "slack" ...
  std::optional<std::string> before;
  std::optional<std::string> after;
  bool operator==(const FieldChange&) const = default;
};

enum class PersonChangeKind { created, updated };

struct PersonChange {
  RowRef where;
  PersonChangeKind kind = PersonChangeKind::updated;
  std::string who;  // their email, else a platform id
  std::vector<FieldChange> fields;
  PersonId person;  // the stored person (a dry run's is rolled back with it)
};

struct DirectoryImportResult {
  std::size_t created = 0;
  std::size_t updated = 0;
  std::size_t unchanged = 0;
  std::vector<PersonChange> changes;  // in file order
  std::vector<RowProblem> skipped;    // rows not applied, in file order
};

// What `coachbot import-directory` prints: a line per person created or updated
// ("updated bob@example.com: team platform → data, manager (none) → carol@example.com"),
// a line per skipped row ("line 7: <why>"), then the counts, named after `source`.
std::string format_import_report(const DirectoryImportResult& result, std::string_view source, bool dry_run);

}  // namespace bot
