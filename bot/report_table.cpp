// Org reports as aligned text, for a terminal. Rules in bot/report.hpp.
#include <algorithm>
#include <string_view>
#include <vector>

#include "bot/report.hpp"

namespace bot {

namespace {

struct Column {
  std::string title;
  bool right = false;  // numbers
};

// Characters, not bytes, so that "Büro" lines up with "Data". (Wide CJK characters
// take two cells in most terminals; they are rare in team names and not handled.)
std::size_t width(std::string_view s) {
  std::size_t n = 0;
  for (char c : s)
    if ((static_cast<unsigned char>(c) & 0xC0u) != 0x80u) ++n;
  return n;
}

// Text people typed goes on one line: a tab or line break in a team name must not
// break the table.
std::string one_line(std::string_view s) {
  std::string out{s};
  for (char& c : out)
    if (static_cast<unsigned char>(c) < 0x20u || c == 0x7f) c = ' ';
  return out;
}

std::string pad(const std::string& cell, std::size_t to, bool right) {
  const std::string fill(to - std::min(to, width(cell)), ' ');
  return right ? fill + cell : cell + fill;
}

// Two spaces between columns; no trailing spaces.
std::string render(const std::vector<Column>& columns, const std::vector<std::vector<std::string>>& rows) {
  std::vector<std::size_t> widths;
  for (const auto& c : columns) widths.push_back(width(c.title));
  for (const auto& r : rows)
    for (std::size_t i = 0; i < r.size() && i < widths.size(); ++i) widths[i] = std::max(widths[i], width(r[i]));
  const auto line = [&](const std::vector<std::string>& cells) {
    std::string out;
    for (std::size_t i = 0; i < columns.size(); ++i) {
      if (i > 0) out += "  ";
      out += pad(i < cells.size() ? cells[i] : std::string{}, widths[i], columns[i].right);
    }
    while (!out.empty() && out.back() == ' ') out.pop_back();
    return out + '\n';
  };
  std::vector<std::string> titles;
  for (const auto& c : columns) titles.push_back(c.title);
  std::string out = line(titles);
  for (const auto& r : rows) out += line(r);
  return out;
}

std::string privacy_note(int left_out) {
  const std::string min = std::to_string(kMinGroupPeople);
  std::string out = "Teams with fewer than " + min + " people are shown together as \"other teams\".\n";
  if (left_out > 0)
    out += std::to_string(left_out) + (left_out == 1 ? " person is" : " people are") +
           " left out: their teams have fewer than " + min + " people even together.\n";
  return out;
}

std::string no_groups_line() {
  return "No group has " + std::to_string(kMinGroupPeople) + " or more people: nothing to show.\n";
}

}  // namespace

std::string to_table(const SkillsReport& report) {
  std::string out = "Skills on active goals: people per skill tag, top " + std::to_string(report.top) +
                    " per group (" + format_utc(report.generated_at) + ")\n";
  out += privacy_note(report.left_out_people) + '\n';
  if (report.groups.empty()) return out + no_groups_line();
  std::vector<std::vector<std::string>> rows;
  for (const auto& g : report.groups) {
    std::vector<std::string> head{one_line(group_label(g.kind, g.team)), std::to_string(g.people),
                                  std::to_string(g.people_with_active_goals)};
    if (g.tags.empty()) {
      head.push_back("(none)");
      rows.push_back(std::move(head));
      continue;
    }
    for (std::size_t i = 0; i < g.tags.size(); ++i) {
      // The group's name and sizes once, on its first tag's line.
      std::vector<std::string> r = i == 0 ? head : std::vector<std::string>{"", "", ""};
      r.push_back(one_line(g.tags[i].tag));
      r.push_back(std::to_string(g.tags[i].people));
      rows.push_back(std::move(r));
    }
  }
  return out + render({{"group", false},
                       {"people", true},
                       {"with active goals", true},
                       {"tag", false},
                       {"people with tag", true}},
                      rows);
}

std::string to_table(const ParticipationReport& report) {
  const auto& weeks = report.period.weeks;
  std::string out = "Participation by team on " + report.period.today;
  if (!weeks.empty()) out += "; check-ins and hours over " + weeks.front() + " to " + weeks.back();
  out += " (UTC; " + format_utc(report.generated_at) + ")\n";
  out += privacy_note(report.left_out_people) + '\n';
  if (report.groups.empty()) return out + no_groups_line();
  const int n = static_cast<int>(weeks.size());
  std::vector<std::vector<std::string>> rows;
  for (const auto& g : report.groups)
    rows.push_back({one_line(group_label(g.kind, g.team)), std::to_string(g.people), std::to_string(g.people_with_plan),
                    std::to_string(g.plans_approved), std::to_string(g.checkins),
                    format_tenths(completion_tenths(g, n)) + "%", format_tenths(hours_tenths(g.learning_minutes))});
  return out + render({{"group", false},
                       {"people", true},
                       {"with a plan", true},
                       {"plans approved", true},
                       {"check-ins", true},
                       {"completion", true},
                       {"hours", true}},
                      rows);
}

}  // namespace bot
