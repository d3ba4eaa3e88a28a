// Org reports as CSV (RFC 4180), for spreadsheets. Rules in bot/report.hpp.
#include <string_view>
#include <vector>

#include "bot/report.hpp"

namespace bot {

namespace {

// A cell someone typed (a team name, a tag). A leading '=', '+', '-', '@', tab or CR
// makes spreadsheets evaluate the cell as a formula, so such text gets a leading quote
// mark; then RFC 4180 quoting where a comma, quote or line break needs it.
std::string text_cell(std::string_view text) {
  std::string value;
  if (!text.empty() && std::string_view{"=+-@\t\r"}.find(text.front()) != std::string_view::npos) value += '\'';
  value.append(text);
  if (value.find_first_of(",\"\r\n") == std::string::npos) return value;
  std::string out = "\"";
  for (char c : value) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + '"';
}

std::string row(const std::vector<std::string>& cells) {
  std::string out;
  for (std::size_t i = 0; i < cells.size(); ++i) {
    if (i > 0) out += ',';
    out += cells[i];
  }
  return out + "\r\n";
}

std::string label_cell(GroupKind kind, const std::optional<std::string>& team) {
  return text_cell(group_label(kind, team));
}

// The last row when people were left out: who they are is exactly what must not be
// shown, how many is what the reader needs to trust the totals.
std::string left_out_row(int people, std::size_t columns) {
  std::vector<std::string> cells(columns);
  cells[0] = text_cell("(left out: fewer than " + std::to_string(kMinGroupPeople) + " people)");
  cells[1] = std::to_string(people);
  return row(cells);
}

}  // namespace

std::string to_csv(const SkillsReport& report) {
  const std::vector<std::string> header{"group", "people", "people_with_active_goals", "rank", "tag",
                                        "people_with_tag"};
  std::string out = row(header);
  for (const auto& g : report.groups) {
    const std::string label = label_cell(g.kind, g.team);
    // A group with no tags still gets a row, so its size is not lost.
    if (g.tags.empty())
      out += row({label, std::to_string(g.people), std::to_string(g.people_with_active_goals), "", "", ""});
    for (std::size_t i = 0; i < g.tags.size(); ++i)
      out += row({label, std::to_string(g.people), std::to_string(g.people_with_active_goals), std::to_string(i + 1),
                  text_cell(g.tags[i].tag), std::to_string(g.tags[i].people)});
  }
  if (report.left_out_people > 0) out += left_out_row(report.left_out_people, header.size());
  return out;
}

std::string to_csv(const ParticipationReport& report) {
  const std::vector<std::string> header{"group",    "people",
                                        "people_with_plan", "plans_approved",
                                        "checkins", "checkin_completion_percent",
                                        "learning_hours"};
  const int weeks = static_cast<int>(report.period.weeks.size());
  std::string out = row(header);
  for (const auto& g : report.groups)
    out += row({label_cell(g.kind, g.team), std::to_string(g.people), std::to_string(g.people_with_plan),
                std::to_string(g.plans_approved), std::to_string(g.checkins),
                format_tenths(completion_tenths(g, weeks)), format_tenths(hours_tenths(g.learning_minutes))});
  if (report.left_out_people > 0) out += left_out_row(report.left_out_people, header.size());
  return out;
}

}  // namespace bot
