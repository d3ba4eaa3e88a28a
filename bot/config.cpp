#include "bot/config.hpp"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <string_view>

#include <nlohmann/json.hpp>

#include "bot/local_time.hpp"

namespace bot {

namespace {

using nlohmann::json;

// Walks the document once, remembering which keys it understood, so that everything
// left over can be reported as unknown afterwards.
class ConfigReader {
 public:
  ConfigReader(const json& doc, std::vector<ConfigProblem>& problems) : doc_(doc), problems_(problems) {}

  const json* at(const std::string& path) {
    known_.insert(path);
    const json* node = &doc_;
    std::size_t start = 0;
    while (start <= path.size()) {
      const std::size_t dot = path.find('.', start);
      const std::string part = path.substr(start, dot == std::string::npos ? std::string::npos : dot - start);
      if (!node->is_object()) return nullptr;
      auto it = node->find(part);
      if (it == node->end()) return nullptr;
      node = &*it;
      if (dot == std::string::npos) break;
      start = dot + 1;
    }
    return node;
  }

  void section(const std::string& path) {
    if (const json* n = at(path); n && !n->is_object()) problem(path, "must be an object, got " + type_of(*n));
  }

  bool string(const std::string& path, std::string& out) {
    const json* n = at(path);
    if (!n) return false;
    if (!n->is_string()) {
      problem(path, "must be a string, got " + type_of(*n));
      return false;
    }
    out = n->get<std::string>();
    return true;
  }

  bool boolean(const std::string& path, bool& out) {
    const json* n = at(path);
    if (!n) return false;
    if (!n->is_boolean()) {
      problem(path, "must be true or false, got " + type_of(*n));
      return false;
    }
    out = n->get<bool>();
    return true;
  }

  bool integer(const std::string& path, int& out, int min, int max) {
    const json* n = at(path);
    if (!n) return false;
    if (!n->is_number_integer()) {
      problem(path, "must be a whole number, got " + type_of(*n));
      return false;
    }
    const auto v = n->get<std::int64_t>();
    if (v < min || v > max) {
      problem(path, "must be between " + std::to_string(min) + " and " + std::to_string(max) + ", got " +
                        std::to_string(v));
      return false;
    }
    out = static_cast<int>(v);
    return true;
  }

  bool strings(const std::string& path, std::vector<std::string>& out) {
    const json* n = at(path);
    if (!n) return false;
    if (!n->is_array()) {
      problem(path, "must be a list of strings, got " + type_of(*n));
      return false;
    }
    std::vector<std::string> values;
    for (const auto& v : *n) {
      if (!v.is_string() || v.get<std::string>().empty()) {
        problem(path, "must hold only non-empty strings");
        return false;
      }
      values.push_back(v.get<std::string>());
    }
    out = std::move(values);
    return true;
  }

  // An object of name -> non-empty string (team -> channel id).
  bool string_map(const std::string& path, std::map<std::string, std::string>& out) {
    const json* n = at(path);
    if (!n) return false;
    if (!n->is_object()) {
      problem(path, "must be an object of names to strings, got " + type_of(*n));
      return false;
    }
    std::map<std::string, std::string> values;
    for (auto it = n->begin(); it != n->end(); ++it) {
      known_.insert(path + "." + it.key());
      if (!it->is_string() || it->get<std::string>().empty()) {
        problem(path + "." + it.key(), "must be a non-empty string");
        return false;
      }
      values[it.key()] = it->get<std::string>();
    }
    out = std::move(values);
    return true;
  }

  void problem(std::string key, std::string message) { problems_.push_back({std::move(key), std::move(message)}); }

  void report_unknown(const json& node, const std::string& prefix) {
    if (!node.is_object()) return;
    for (auto it = node.begin(); it != node.end(); ++it) {
      const std::string path = prefix.empty() ? it.key() : prefix + "." + it.key();
      if (!known_.contains(path)) {
        problem(path, unknown_key_message(path));
        continue;
      }
      report_unknown(it.value(), path);
    }
  }

 private:
  static std::string type_of(const json& n) { return n.type_name(); }

  static std::string unknown_key_message(const std::string& path) {
    static const std::vector<std::pair<std::string, std::string>> secrets{
        {"token", "SLACK_BOT_TOKEN / SLACK_APP_TOKEN"},
        {"secret", "SLACK_SIGNING_SECRET"},
        {"password", "MICROSOFT_APP_PASSWORD"},
        {"app_id", "MICROSOFT_APP_ID"},
    };
    for (const auto& [needle, env] : secrets) {
      if (path.find(needle) != std::string::npos)
        return "unknown key; secrets are never read from the config file, set " + env + " in the environment";
    }
    return "unknown key (see config.example.json for every key)";
  }

  const json& doc_;
  std::vector<ConfigProblem>& problems_;
  std::set<std::string> known_;
};

Secrets read_secrets(const EnvLookup& env) {
  auto get = [&](const char* name) -> std::optional<std::string> {
    auto v = env(name);
    if (v && v->empty()) return std::nullopt;
    return v;
  };
  return Secrets{get("SLACK_BOT_TOKEN"),  get("SLACK_APP_TOKEN"),        get("SLACK_SIGNING_SECRET"),
                 get("MICROSOFT_APP_ID"), get("MICROSOFT_APP_PASSWORD"), get("MICROSOFT_APP_TENANT_ID")};
}

// An IPv4 literal in 127.0.0.0/8: four decimal parts of 0–255, the first 127.
bool is_loopback_ipv4(std::string_view a) {
  int parts = 0;
  while (true) {
    const auto dot = a.find('.');
    const auto part = a.substr(0, dot);
    if (part.empty() || part.size() > 3 || part.find_first_not_of("0123456789") != std::string_view::npos) return false;
    if (std::stoi(std::string{part}) > 255 || (parts == 0 && part != "127")) return false;
    ++parts;
    if (dot == std::string_view::npos) break;
    a.remove_prefix(dot + 1);
  }
  return parts == 4;
}

bool is_loopback(std::string_view address) {
  return address == "localhost" || address == "::1" || is_loopback_ipv4(address);
}

// "http://127.0.0.1:3978/..." or "http://localhost/...": a URL on this machine. The
// host is read the way a URL parser reads it, so "http://127.0.0.1@elsewhere/" and
// "http://127.0.0.1.example.com/" are not taken for this machine.
bool loopback_http(std::string_view url) {
  if (!url.starts_with("http://")) return false;
  url.remove_prefix(7);
  const std::string_view authority = url.substr(0, url.find_first_of("/?#"));
  if (authority.find('@') != std::string_view::npos) return false;
  if (authority.starts_with("[::1]")) return authority.size() == 5 || authority[5] == ':';
  return is_loopback(authority.substr(0, authority.find(':')));
}

void check_secrets(const Config& c, std::vector<ConfigProblem>& problems) {
  if (c.slack.enabled) {
    if (!c.secrets.slack_bot_token)
      problems.push_back({"slack.enabled", "Slack is enabled but SLACK_BOT_TOKEN is not set in the environment"});
    if (c.slack.socket_mode && !c.secrets.slack_app_token)
      problems.push_back({"slack.socket_mode", "Socket Mode needs SLACK_APP_TOKEN (xapp-…) in the environment"});
    if (!c.slack.socket_mode && !c.secrets.slack_signing_secret)
      problems.push_back({"slack.socket_mode", "the Events API needs SLACK_SIGNING_SECRET in the environment"});
  }
  if (c.teams.dev_mode && (c.secrets.microsoft_app_id || c.secrets.microsoft_app_password))
    problems.push_back({"teams.dev_mode", "dev mode accepts unauthenticated requests, so it refuses to run with "
                                          "MICROSOFT_APP_ID or MICROSOFT_APP_PASSWORD set; unset them or dev_mode"});
  if (c.teams.dev_mode && !is_loopback(c.http.address))
    problems.push_back({"teams.dev_mode", "dev mode accepts unauthenticated requests, so http.address must be a "
                                          "loopback address (127.0.0.1, ::1 or localhost)"});
  if (c.teams.enabled && !c.teams.dev_mode) {
    if (!c.secrets.microsoft_app_id)
      problems.push_back({"teams.enabled", "Teams is enabled but MICROSOFT_APP_ID is not set in the environment"});
    if (!c.secrets.microsoft_app_password)
      problems.push_back({"teams.enabled", "Teams is enabled but MICROSOFT_APP_PASSWORD is not set in the environment"});
  }
}

void finish_defaults(Config& c, const EnvLookup& env) {
  if (c.defaults.time_zone.empty()) c.defaults.time_zone = system_time_zone();
  if (!c.slack.enabled_in_file && c.secrets.slack_bot_token) c.slack.enabled = true;
  if (!c.teams.enabled_in_file && (c.secrets.microsoft_app_id || c.teams.dev_mode)) c.teams.enabled = true;
  // Tests and benchmarks point Slack at a local fake without a config file.
  if (auto url = env("SLACK_API_URL"); url && !url->empty()) c.slack.api_url = *url;
}

}  // namespace

EnvLookup process_env() {
  return [](const char* name) -> std::optional<std::string> {
    const char* v = std::getenv(name);
    if (!v) return std::nullopt;
    return std::string{v};
  };
}

ConfigResult default_config(const EnvLookup& env) {
  ConfigResult r;
  r.config.secrets = read_secrets(env);
  finish_defaults(r.config, env);
  return r;
}

ConfigResult parse_config(const json& doc, const EnvLookup& env) {
  ConfigResult r;
  Config& c = r.config;
  c.secrets = read_secrets(env);
  if (!doc.is_object()) {
    r.problems.push_back({"", "the config file must hold a JSON object"});
    return r;
  }
  ConfigReader rd{doc, r.problems};

  rd.section("database");
  if (rd.string("database.path", c.database_path) && c.database_path.empty())
    rd.problem("database.path", "must not be empty");
  if (rd.string("database.synchronous", c.synchronous) && c.synchronous != "NORMAL" && c.synchronous != "FULL")
    rd.problem("database.synchronous", "must be \"NORMAL\" or \"FULL\", got \"" + c.synchronous + "\"");

  rd.section("defaults");
  if (rd.string("defaults.time_zone", c.defaults.time_zone) && !c.defaults.time_zone.empty() &&
      !is_valid_time_zone(c.defaults.time_zone))
    rd.problem("defaults.time_zone", "\"" + c.defaults.time_zone + "\" is not an IANA time zone (e.g. Europe/Berlin)");
  std::string day;
  if (rd.string("defaults.checkin_day", day)) {
    if (auto d = parse_weekday(day)) c.defaults.checkin_weekday = *d;
    else rd.problem("defaults.checkin_day", "\"" + day + "\" is not a weekday (Monday … Sunday)");
  }
  std::string time;
  if (rd.string("defaults.checkin_time", time)) {
    if (auto t = parse_time_of_day(time)) c.defaults.checkin_minute = *t;
    else rd.problem("defaults.checkin_time", "\"" + time + "\" is not a time of day (HH:MM, 24-hour)");
  }

  rd.section("dialogs");
  int hours = static_cast<int>(c.session_expiry.count());
  if (rd.integer("dialogs.expire_after_hours", hours, 1, 24 * 90)) c.session_expiry = std::chrono::hours{hours};

  rd.section("plans");
  if (rd.strings("plans.objectives", c.objectives) && c.objectives.size() > 20)
    rd.problem("plans.objectives", "at most 20 objectives, so they fit on one set of buttons");

  rd.section("schedule");
  std::vector<std::string> days;
  if (rd.strings("schedule.working_days", days)) {
    std::set<int> parsed;
    for (const auto& d : days) {
      if (auto w = parse_weekday(d)) parsed.insert(*w);
      else rd.problem("schedule.working_days", "\"" + d + "\" is not a weekday (Monday … Sunday)");
    }
    if (parsed.empty()) rd.problem("schedule.working_days", "must name at least one weekday");
    else c.calendar.base.working_days = parsed;
  }
  // Holidays: a list for everyone, or {"*": [...], "<region>": [...]} per region.
  const auto add_holidays = [&](const std::string& key, const std::vector<std::string>& dates, std::set<std::string>& into) {
    for (const auto& h : dates) {
      if (parse_iso_date(h)) into.insert(h);
      else rd.problem(key, "\"" + h + "\" is not a date (YYYY-MM-DD)");
    }
  };
  if (const json* node = rd.at("schedule.holidays"); node && node->is_object()) {
    for (auto it = node->begin(); it != node->end(); ++it) {
      const std::string key = "schedule.holidays." + it.key();
      std::vector<std::string> dates;
      if (!rd.strings(key, dates)) continue;
      add_holidays(key, dates, it.key() == "*" ? c.calendar.base.holidays : c.calendar.regional_holidays[it.key()]);
    }
  } else {
    std::vector<std::string> holidays;
    if (rd.strings("schedule.holidays", holidays)) add_holidays("schedule.holidays", holidays, c.calendar.base.holidays);
  }
  for (auto [key, minute] : {std::pair{"schedule.send_from", &c.calendar.base.window_start_minute},
                             std::pair{"schedule.send_until", &c.calendar.base.window_end_minute}}) {
    std::string at;
    if (!rd.string(key, at)) continue;
    if (auto t = parse_time_of_day(at)) *minute = *t;
    else rd.problem(key, "\"" + at + "\" is not a time of day (HH:MM, 24-hour)");
  }
  int reminder_hours = static_cast<int>(c.reminder_delay.count());
  if (rd.integer("schedule.reminder_after_hours", reminder_hours, 1, 24 * 6)) c.reminder_delay = std::chrono::hours{reminder_hours};
  rd.integer("schedule.max_reminders", c.max_reminders, 0, 2);
  std::string digest_day;
  if (rd.string("schedule.digest_day", digest_day)) {
    if (auto d = parse_weekday(digest_day)) c.digest.weekday = *d;
    else rd.problem("schedule.digest_day", "\"" + digest_day + "\" is not a weekday (Monday … Sunday)");
  }
  std::string digest_time;
  if (rd.string("schedule.digest_time", digest_time)) {
    if (auto t = parse_time_of_day(digest_time)) c.digest.minute = *t;
    else rd.problem("schedule.digest_time", "\"" + digest_time + "\" is not a time of day (HH:MM, 24-hour)");
  }
  rd.boolean("schedule.escalate_reviews", c.escalate_reviews);
  int missed_hours = static_cast<int>(c.missed_window.count());
  if (rd.integer("schedule.skip_if_late_hours", missed_hours, 1, 24 * 6)) c.missed_window = std::chrono::hours{missed_hours};
  // Every newcomer starts with the default time: outside the window, each first prompt
  // would wait for the window's next opening, often the next day.
  if (const SendingWindow w = c.calendar.base.window(); !w.contains(c.defaults.checkin_minute))
    rd.problem("defaults.checkin_time", format_time_of_day(c.defaults.checkin_minute) +
                                            " is outside the sending window (schedule.send_from and send_until: " +
                                            w.describe() + ")");

  rd.section("sharing");
  rd.string_map("sharing.team_channels", c.team_channels);

  rd.section("outbox");
  rd.integer("outbox.max_attempts", c.outbox_max_attempts, 1, 100);

  rd.section("log");
  if (rd.string("log.level", c.log_level)) {
    static const std::set<std::string> levels{"trace", "debug", "info", "warn", "error", "critical", "off"};
    if (!levels.contains(c.log_level))
      rd.problem("log.level", "must be one of trace, debug, info, warn, error, critical, off");
  }
  rd.boolean("log.json", c.log_json);

  rd.section("slack");
  c.slack.enabled_in_file = rd.boolean("slack.enabled", c.slack.enabled);
  rd.boolean("slack.socket_mode", c.slack.socket_mode);
  // Slack allows 10 sockets per app, and each one briefly has a second while it is
  // replaced (make before break): 5 stay within it even if all are replaced at once.
  rd.integer("slack.connections", c.slack.connections, 1, 5);
  if (rd.string("slack.api_url", c.slack.api_url) && !c.slack.api_url.starts_with("https://") &&
      !c.slack.api_url.starts_with("http://"))
    rd.problem("slack.api_url", "must start with https:// (or http:// for a local fake)");

  rd.section("teams");
  c.teams.enabled_in_file = rd.boolean("teams.enabled", c.teams.enabled);
  rd.boolean("teams.dev_mode", c.teams.dev_mode);
  for (auto [key, url] : {std::pair{"teams.openid_url", &c.teams.openid_url},
                          std::pair{"teams.token_url", &c.teams.token_url},
                          std::pair{"teams.default_service_url", &c.teams.default_service_url}}) {
    // Keys and the client secret travel over these: plain http only to this machine.
    if (rd.string(key, *url) && !url->starts_with("https://") && !loopback_http(*url))
      rd.problem(key, "must start with https:// (or http://127.0.0.1 / http://localhost for a local fake)");
  }
  rd.strings("teams.extra_service_hosts", c.teams.extra_service_hosts);

  rd.section("http");
  rd.string("http.address", c.http.address);
  rd.integer("http.port", c.http.port, 0, 65535);
  rd.integer("http.max_body_kib", c.http.max_body_kib, 16, 64 * 1024);
  rd.integer("http.max_connections", c.http.max_connections, 8, 65536);
  if (rd.string("http.ca_file", c.http.ca_file) && !c.http.ca_file.empty() && !std::ifstream{c.http.ca_file})
    rd.problem("http.ca_file", "cannot read " + c.http.ca_file);

  rd.report_unknown(doc, "");
  finish_defaults(c, env);
  check_secrets(c, r.problems);
  return r;
}

ConfigResult load_config_file(const std::string& path, const EnvLookup& env) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) {
    ConfigResult r;
    r.problems.push_back({"", path + " is a directory, not a config file"});
    return r;
  }
  std::ifstream in{path};
  if (!in) {
    ConfigResult r;
    r.problems.push_back({"", "cannot read " + path});
    return r;
  }
  try {
    return parse_config(json::parse(in, nullptr, /*allow_exceptions=*/true, /*ignore_comments=*/true), env);
  } catch (const json::parse_error& e) {
    ConfigResult r;
    r.problems.push_back({"", path + " is not valid JSON (at byte " + std::to_string(e.byte) + ")"});
    return r;
  }
}

}  // namespace bot
