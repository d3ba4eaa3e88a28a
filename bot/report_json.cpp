// Org reports as JSON (schema in bot/report.hpp): for tools that keep or chart them.
#include <nlohmann/json.hpp>

#include "bot/report.hpp"

namespace bot {

namespace {

using nlohmann::json;

// One decimal as a JSON number (71.4), from tenths.
json tenths_number(std::int64_t tenths) { return static_cast<double>(tenths) / 10.0; }

json group_head(GroupKind kind, const std::optional<std::string>& team, int people) {
  return {{"kind", std::string{to_string(kind)}},
          {"name", group_label(kind, team)},
          {"team", kind == GroupKind::team && team ? json(*team) : json(nullptr)},
          {"people", people}};
}

json report_head(std::string_view name, Instant generated_at, int left_out) {
  return {{"schema_version", kReportSchemaVersion},
          {"report", std::string{name}},
          {"generated_at", format_utc(generated_at)},
          {"min_group_size", kMinGroupPeople},
          {"left_out_people", left_out}};
}

}  // namespace

json to_json(const SkillsReport& report) {
  json j = report_head("skills", report.generated_at, report.left_out_people);
  j["top"] = report.top;
  json groups = json::array();
  for (const auto& g : report.groups) {
    json group = group_head(g.kind, g.team, g.people);
    group["people_with_active_goals"] = g.people_with_active_goals;
    json tags = json::array();
    for (const auto& t : g.tags) tags.push_back({{"tag", t.tag}, {"people", t.people}});
    group["tags"] = std::move(tags);
    groups.push_back(std::move(group));
  }
  j["groups"] = std::move(groups);
  return j;
}

json to_json(const ParticipationReport& report) {
  json j = report_head("participation", report.generated_at, report.left_out_people);
  j["today"] = report.period.today;
  j["weeks"] = report.period.weeks;
  const int weeks = static_cast<int>(report.period.weeks.size());
  json groups = json::array();
  for (const auto& g : report.groups) {
    json group = group_head(g.kind, g.team, g.people);
    group["people_with_plan"] = g.people_with_plan;
    group["plans_approved"] = g.plans_approved;
    group["checkins"] = g.checkins;
    group["checkin_completion_percent"] = tenths_number(completion_tenths(g, weeks));
    group["learning_minutes"] = g.learning_minutes;
    group["learning_hours"] = tenths_number(hours_tenths(g.learning_minutes));
    groups.push_back(std::move(group));
  }
  j["groups"] = std::move(groups);
  return j;
}

}  // namespace bot
