#pragma once
// Reading CSV as RFC 4180 defines it: fields separated by commas, records by CRLF or LF
// (a lone CR too), a field in double quotes may hold commas, line breaks and quotes
// written twice (""). A UTF-8 byte order mark at the start is skipped. We read it
// ourselves because none of our dependencies does: Boost.Tokenizer's
// escaped_list_separator treats backslash as an escape, turns "" into nothing instead
// of a quote and splits no records, so it cannot find where a quoted line break ends.
//
// A record that breaks the rules (a quote inside an unquoted field, text after a
// closing quote, a quote never closed, more or fewer fields than the first record) is
// reported with its line number and left out; the records around it are still read.
// Pure; thread-safe.
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace bot {

struct CsvRecord {
  std::size_t line = 0;  // where the record starts, 1-based, as an editor counts lines
  std::vector<std::string> fields;
};

struct CsvProblem {
  std::size_t line = 0;  // where the problem is
  std::string message;
};

struct CsvTable {
  // The header (the first record) first. Empty lines are left out.
  std::vector<CsvRecord> records;
  std::vector<CsvProblem> problems;  // records left out, in file order
};

CsvTable parse_csv(std::string_view text);

}  // namespace bot
