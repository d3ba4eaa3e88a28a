#pragma once
// Configuration: a JSON file (config.example.json documents every key) plus secrets
// from environment variables, which are never read from the file and never logged.
// Loading collects every problem with the key it concerns instead of stopping at the
// first one, so `coachbot check-config` can report them all. Value types.
#include <chrono>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "bot/dialog.hpp"
#include "bot/recurrence.hpp"

namespace bot {

// Slack is on when SLACK_BOT_TOKEN is set, unless the file says slack.enabled: false.
struct SlackConfig {
  bool enabled = false;
  bool enabled_in_file = false;  // slack.enabled was given: the token alone does not decide
  std::string api_url = "https://slack.com/api/";  // SLACK_API_URL overrides it
  bool socket_mode = true;
  int connections = 1;  // Socket Mode sockets kept open at once, 1 to 5
};

// The HTTP port: /healthz, /readyz, /metrics, and the Slack Events API.
struct HttpConfig {
  std::string address = "127.0.0.1";
  int port = 3000;  // 0: any free port (logged)
  int max_body_kib = 1024;
  int max_connections = 512;
  // PEM file of the certificate authorities trusted for outgoing HTTPS and WSS (Slack,
  // Microsoft), e.g. behind a TLS-inspecting proxy; empty: the system's trust store.
  std::string ca_file;
};

// Teams is on when MICROSOFT_APP_ID is set, unless the file says teams.enabled: false;
// or, with no app id at all, in dev_mode (the Agents Playground: no tokens either way,
// loopback only). Every URL may be http:// for local fakes.
struct TeamsConfig {
  bool enabled = false;
  bool enabled_in_file = false;
  bool dev_mode = false;
  std::string openid_url = "https://login.botframework.com/v1/.well-known/openidconfiguration";
  // {tenant}: MICROSOFT_APP_TENANT_ID (single-tenant bots), else "botframework.com".
  std::string token_url = "https://login.microsoftonline.com/{tenant}/oauth2/v2.0/token";
  // For proactive messages to someone we never heard from (no stored service URL).
  std::string default_service_url = "https://smba.trafficmanager.net/teams/";
  // Hosts our token may be sent to, besides Microsoft's Teams hosts (a local fake).
  std::vector<std::string> extra_service_hosts;
};

// Secrets come only from the environment.
struct Secrets {
  std::optional<std::string> slack_bot_token;       // SLACK_BOT_TOKEN
  std::optional<std::string> slack_app_token;       // SLACK_APP_TOKEN
  std::optional<std::string> slack_signing_secret;  // SLACK_SIGNING_SECRET
  std::optional<std::string> microsoft_app_id;      // MICROSOFT_APP_ID
  std::optional<std::string> microsoft_app_password;   // MICROSOFT_APP_PASSWORD
  std::optional<std::string> microsoft_app_tenant_id;  // MICROSOFT_APP_TENANT_ID
};

struct Config {
  std::string database_path = "coachbot.db";
  std::string synchronous = "NORMAL";  // NORMAL or FULL
  Defaults defaults;                   // time_zone empty in the file: the system's zone
  std::chrono::hours session_expiry{24 * 7};
  std::vector<std::string> objectives;  // organisation objectives plans can support
  // Where a team's shared achievements are posted: team name (as people set it in
  // settings) -> platform channel id.
  std::map<std::string, std::string> team_channels;
  // The scheduler: when prompts may be sent, and reminders.
  Calendars calendar;  // working days, sending window, holidays (also per region)
  std::chrono::hours reminder_delay{24};
  int max_reminders = 2;
  std::chrono::hours missed_window{12};
  WeeklyRule digest{1, 9 * 60, {}};  // managers' weekly digest, in each manager's zone
  bool escalate_reviews = false;
  int outbox_max_attempts = 8;
  std::string log_level = "info";
  bool log_json = false;
  SlackConfig slack;
  TeamsConfig teams;
  HttpConfig http;
  Secrets secrets;
};

struct ConfigProblem {
  std::string key;  // dotted path, e.g. "defaults.time_zone"; empty for the whole file
  std::string message;
};

struct ConfigResult {
  Config config;
  std::vector<ConfigProblem> problems;
  bool ok() const { return problems.empty(); }
};

using EnvLookup = std::function<std::optional<std::string>(const char* name)>;
EnvLookup process_env();

// Defaults plus secrets: what runs when no config file is given.
ConfigResult default_config(const EnvLookup& env);
ConfigResult parse_config(const nlohmann::json& doc, const EnvLookup& env);
ConfigResult load_config_file(const std::string& path, const EnvLookup& env);

}  // namespace bot
