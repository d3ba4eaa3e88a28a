#include "bot/directory.hpp"

#include <algorithm>
#include <cstdint>
#include <set>

#include <nlohmann/json.hpp>

#include "bot/csv_reader.hpp"
#include "bot/local_time.hpp"
#include "bot/text.hpp"

namespace bot {

namespace {

constexpr std::size_t kMaxText = 200;  // characters in a name, team or region
constexpr std::size_t kMaxId = 128;    // bytes in a platform id or tenant

std::string column_list() {
  std::string out;
  for (auto c : kDirectoryColumns) {
    if (!out.empty()) out += ", ";
    out += c;
  }
  return out;
}

// "Manager Email", " manager-email " -> "manager_email".
std::string normalise_column(std::string_view raw) {
  std::string c = lower(trim(raw));
  std::replace(c.begin(), c.end(), ' ', '_');
  std::replace(c.begin(), c.end(), '-', '_');
  return c;
}

bool known_column(std::string_view c) {
  return std::find(kDirectoryColumns.begin(), kDirectoryColumns.end(), c) != kDirectoryColumns.end();
}

std::string in_quotes(std::string_view s) { return "'" + std::string{s} + "'"; }

// "'mgr_email' (did you mean manager_email?)" for a near miss.
std::string describe_unknown(const std::string& c) {
  std::string best;
  std::size_t best_distance = SIZE_MAX;
  for (auto known : kDirectoryColumns) {
    const std::size_t d = edit_distance(c, known);
    // A third of the name may be mistyped or abbreviated ("mgr_email"), but no more.
    if (d <= std::max<std::size_t>(2, known.size() / 3) && d < best_distance) {
      best_distance = d;
      best = std::string{known};
    }
  }
  return in_quotes(c) + (best.empty() ? "" : " (did you mean " + best + "?)");
}

// Checks the columns a file names; empty when they are usable.
std::string check_columns(const std::vector<std::string>& columns, std::string_view what) {
  std::vector<std::string> unknown;
  std::set<std::string> seen;
  for (std::size_t i = 0; i < columns.size(); ++i) {
    const auto& c = columns[i];
    if (c.empty()) return std::string{what} + " " + std::to_string(i + 1) + " has no name";
    if (!seen.insert(c).second) return std::string{what} + " " + in_quotes(c) + " appears twice";
    if (!known_column(c)) unknown.push_back(describe_unknown(c));
  }
  if (!unknown.empty()) {
    std::string out = "unknown " + std::string{what} + (unknown.size() == 1 ? " " : "s ") + join(unknown, ", ");
    // A spreadsheet saved with ';' between fields reads as one column named after them all.
    if (columns.size() == 1 && columns[0].find(';') != std::string::npos)
      out += "; the file seems to separate fields with ';', and only ',' does";
    return out + ". Known: " + column_list();
  }
  if (!seen.contains("email") && !seen.contains("slack_id") && !seen.contains("teams_aad_id"))
    return "no " + std::string{what} + " says who each row is: give email, slack_id or teams_aad_id";
  return {};
}

std::size_t characters(std::string_view s) {
  return static_cast<std::size_t>(
      std::count_if(s.begin(), s.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0u) != 0x80u; }));
}

bool has_control(std::string_view s) {
  return std::any_of(s.begin(), s.end(), [](char c) {
    const auto u = static_cast<unsigned char>(c);
    return u < 0x20 || u == 0x7F;
  });
}

// Enough to catch a name or a stray word in the email column; the mail system is the
// real judge. ASCII only, one '@', a dot in the domain, nothing that needs quoting.
bool plausible_email(std::string_view e) {
  if (e.size() > 254) return false;
  const auto at = e.find('@');
  if (at == std::string_view::npos || at == 0 || at > 64 || e.find('@', at + 1) != std::string_view::npos) return false;
  const auto domain = e.substr(at + 1);
  if (domain.empty() || domain.find('.') == std::string_view::npos || domain.front() == '.' || domain.back() == '.' ||
      domain.find("..") != std::string_view::npos)
    return false;
  return std::all_of(e.begin(), e.end(), [](char c) {
    const auto u = static_cast<unsigned char>(c);
    return u > 0x20 && u < 0x7F && std::string_view{"(),:;<>[]\\\""}.find(c) == std::string_view::npos;
  });
}

bool plausible_id(std::string_view id) {
  return id.size() <= kMaxId && std::all_of(id.begin(), id.end(), [](char c) {
           const auto u = static_cast<unsigned char>(c);
           return u > 0x20 && u < 0x7F;
         });
}

}  // namespace

std::string RowRef::str() const {
  return (format == DirectoryFormat::json ? "item " : "line ") + std::to_string(number);
}

std::variant<DirectoryEntry, RowProblem> check_directory_row(RowRef where, const DirectoryCells& cells) {
  std::vector<std::string> problems;
  DirectoryCells clean;
  for (const auto& [column, raw] : cells) {
    if (!is_valid_utf8(raw)) {
      problems.push_back(column + " is not valid UTF-8");
      continue;
    }
    const std::string value{trim(raw)};
    if (has_control(value)) {
      problems.push_back(column + " contains a line break or another control character");
      continue;
    }
    if (characters(value) > kMaxText) {
      problems.push_back(column + " is longer than " + std::to_string(kMaxText) + " characters");
      continue;
    }
    clean.emplace(column, value);
  }
  // nullopt for a column the row does not have; the trimmed text (maybe empty) otherwise.
  const auto cell = [&](const char* column) -> std::optional<std::string> {
    const auto it = clean.find(column);
    if (it == clean.end()) return std::nullopt;
    return it->second;
  };
  const auto non_empty = [&](const char* column) -> std::optional<std::string> {
    auto v = cell(column);
    if (v && v->empty()) return std::nullopt;
    return v;
  };

  DirectoryEntry e;
  e.where = where;
  if (auto v = non_empty("email")) {
    if (plausible_email(*v)) e.email = lower(*v);
    else problems.push_back("email " + in_quotes(*v) + " is not an email address");
  }
  e.name = non_empty("name");
  if (auto v = non_empty("time_zone")) {
    if (is_valid_time_zone(*v)) {
      e.time_zone = *v;
    } else {
      const auto guess = canonical_time_zone(*v);
      problems.push_back("time_zone " + in_quotes(*v) + " is not an IANA time zone name" +
                         (guess ? " (did you mean " + *guess + "?)" : " such as Europe/Berlin"));
    }
  }
  e.team = cell("team");
  e.region = cell("region");
  if (auto v = cell("manager_email")) {
    if (v->empty() || plausible_email(*v)) e.manager_email = lower(*v);
    else problems.push_back("manager_email " + in_quotes(*v) + " is not an email address");
  }
  const auto platform_id = [&](Platform platform, const char* id_column, const char* tenant_column) {
    const auto id = non_empty(id_column);
    const auto tenant = non_empty(tenant_column);
    if (!id) {
      if (tenant) problems.push_back(std::string{tenant_column} + " without " + id_column);
      return std::optional<Identity>{};
    }
    bool ok = true;
    for (const auto& [column, value] : {std::pair{id_column, id}, std::pair{tenant_column, tenant}}) {
      if (value && !plausible_id(*value)) {
        problems.push_back(std::string{column} + " " + in_quotes(*value) + " is not an id (no spaces, at most " +
                           std::to_string(kMaxId) + " characters)");
        ok = false;
      }
    }
    if (!ok) return std::optional<Identity>{};
    return std::optional<Identity>{Identity{platform, tenant.value_or(""), *id}};
  };
  e.slack = platform_id(Platform::slack, "slack_id", "slack_team");
  e.teams = platform_id(Platform::teams, "teams_aad_id", "teams_tenant");

  if (problems.empty() && !e.email && !e.slack && !e.teams)
    problems.emplace_back("no email, slack_id or teams_aad_id, so nothing says who this is");
  if (e.email && e.manager_email && *e.email == *e.manager_email)
    problems.emplace_back("manager_email is the person's own email");
  if (!problems.empty()) return RowProblem{where, join(problems, "; "), e.email};
  return e;
}

DirectoryFormat detect_directory_format(std::string_view file_name, std::string_view content) {
  const std::string name = lower(file_name);
  if (name.ends_with(".csv")) return DirectoryFormat::csv;
  if (name.ends_with(".json")) return DirectoryFormat::json;
  content = trim(strip_bom(content));
  return !content.empty() && (content.front() == '[' || content.front() == '{') ? DirectoryFormat::json
                                                                                : DirectoryFormat::csv;
}

namespace {

DirectoryRead read_csv(std::string_view content) {
  CsvTable table = parse_csv(content);
  // The header is the first record; a problem before it means the header was broken.
  if (!table.problems.empty() && (table.records.empty() || table.problems.front().line < table.records.front().line))
    return {std::nullopt, "line " + std::to_string(table.problems.front().line) +
                              " (the header row): " + table.problems.front().message};
  if (table.records.empty())
    return {std::nullopt, "the file is empty; the first row must name the columns, from: " + column_list()};

  Directory d;
  d.format = DirectoryFormat::csv;
  for (const auto& f : table.records.front().fields) d.columns.push_back(normalise_column(f));
  if (auto problem = check_columns(d.columns, "column"); !problem.empty()) return {std::nullopt, problem};

  for (const auto& p : table.problems) d.problems.push_back({{DirectoryFormat::csv, p.line}, p.message, std::nullopt});
  d.rows = table.problems.size();
  for (std::size_t r = 1; r < table.records.size(); ++r) {
    const auto& record = table.records[r];
    // A row of empty cells (",,,,") is what spreadsheets leave below the data.
    if (std::all_of(record.fields.begin(), record.fields.end(), [](const std::string& f) { return trim(f).empty(); }))
      continue;
    ++d.rows;
    DirectoryCells cells;
    for (std::size_t i = 0; i < record.fields.size(); ++i) cells.emplace(d.columns[i], record.fields[i]);
    auto checked = check_directory_row({DirectoryFormat::csv, record.line}, cells);
    if (auto* e = std::get_if<DirectoryEntry>(&checked)) d.entries.push_back(std::move(*e));
    else d.problems.push_back(std::get<RowProblem>(std::move(checked)));
  }
  std::stable_sort(d.problems.begin(), d.problems.end(),
                   [](const RowProblem& a, const RowProblem& b) { return a.where < b.where; });
  return {std::move(d), {}};
}

std::string_view json_type(const nlohmann::json& v) {
  if (v.is_number()) return "a number";
  if (v.is_boolean()) return "true or false";
  if (v.is_array()) return "a list";
  if (v.is_object()) return "an object";
  return "something else";
}

DirectoryRead read_json(std::string_view content) {
  content = strip_bom(content);
  nlohmann::json doc;
  try {
    doc = nlohmann::json::parse(content);
  } catch (const nlohmann::json::parse_error& e) {
    // "[json.exception.parse_error.101] parse error at line 3, column 5: ..."
    std::string what = e.what();
    if (const auto close = what.find("] "); what.starts_with('[') && close != std::string::npos)
      what.erase(0, close + 2);
    return {std::nullopt, "not valid JSON: " + what};
  }
  if (!doc.is_array()) return {std::nullopt, "expected a JSON array with an object per person"};

  Directory d;
  d.format = DirectoryFormat::json;
  for (const auto& item : doc) {
    if (!item.is_object()) continue;
    for (auto it = item.begin(); it != item.end(); ++it) {
      const std::string c = normalise_column(it.key());
      if (std::find(d.columns.begin(), d.columns.end(), c) == d.columns.end()) d.columns.push_back(c);
    }
  }
  if (!d.columns.empty()) {
    if (auto problem = check_columns(d.columns, "key"); !problem.empty()) return {std::nullopt, problem};
  }

  std::size_t number = 0;
  for (const auto& item : doc) {
    const RowRef where{DirectoryFormat::json, ++number};
    ++d.rows;
    if (!item.is_object()) {
      d.problems.push_back(
          {where, "not an object (each item is one person: {\"email\": ..., \"name\": ...})", std::nullopt});
      continue;
    }
    DirectoryCells cells;
    std::vector<std::string> problems;
    for (auto it = item.begin(); it != item.end(); ++it) {
      const std::string c = normalise_column(it.key());
      std::string value;
      if (it.value().is_string()) value = it.value().get<std::string>();
      else if (!it.value().is_null())
        problems.push_back(c + " must be text or null, not " + std::string{json_type(it.value())});
      if (!cells.emplace(c, std::move(value)).second) problems.push_back(in_quotes(c) + " is given twice");
    }
    if (!problems.empty()) {
      d.problems.push_back({where, join(problems, "; "), std::nullopt});
      continue;
    }
    auto checked = check_directory_row(where, cells);
    if (auto* e = std::get_if<DirectoryEntry>(&checked)) d.entries.push_back(std::move(*e));
    else d.problems.push_back(std::get<RowProblem>(std::move(checked)));
  }
  return {std::move(d), {}};
}

}  // namespace

DirectoryRead read_directory(std::string_view content, DirectoryFormat format) {
  return format == DirectoryFormat::json ? read_json(content) : read_csv(content);
}

}  // namespace bot
