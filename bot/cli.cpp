#include "bot/cli.hpp"

#include <charconv>
#include <cstdint>
#include <iostream>
#include <string>

#include <CLI/CLI.hpp>

#include "bot/app.hpp"
#include "bot/logging.hpp"

namespace bot {

namespace {

// CLI11's PositiveNumber explains itself with a range to 1.8e308.
const CLI::Validator kMessageId{[](std::string& typed) -> std::string {
                                  std::int64_t id = 0;
                                  const auto [end, ec] = std::from_chars(typed.data(), typed.data() + typed.size(), id);
                                  if (ec == std::errc{} && end == typed.data() + typed.size() && id > 0) return {};
                                  return "'" + typed + "' is not a message id (coachbot outbox --failed lists them)";
                                },
                                "ID"};

}  // namespace

int run_cli(int argc, char** argv) {
  CLI::App app{"Coachbot: a coaching assistant for Personal Learning Plans, in Slack, Teams and the terminal."};
  app.require_subcommand(0, 1);

  std::string config_path;
  std::string db_path;
  std::string log_level;
  bool log_json = false;
  app.add_option("-c,--config", config_path, "Config file (JSON); see config.example.json")->check(CLI::ExistingFile);
  app.add_option("--db", db_path, "SQLite database file (default: coachbot.db in the current directory)");
  app.add_option("--log-level", log_level, "trace, debug, info, warn, error, critical or off")
      ->check(CLI::IsMember({"trace", "debug", "info", "warn", "error", "critical", "off"}));
  app.add_flag("--log-json", log_json, "Log JSON lines instead of human-readable text");
  app.fallthrough();

  auto* run = app.add_subcommand("run", "Run the service (with no platform credentials: the local chat)");
  auto* chat = app.add_subcommand("chat", "Chat with the bot in this terminal as a person of your choosing");
  std::string as;
  chat->add_option("--as", as, "Who you are in the chat, e.g. alice")->required();
  auto* exporting = app.add_subcommand("export", "Write a person's learning portfolio as Markdown or JSON");
  ExportRequest export_request;
  std::string export_format = "md";
  exporting->add_option("--person", export_request.person, "Numeric person id, or a handle / platform user id (e.g. alice)")
      ->required();
  exporting->add_option("--format", export_format, "md (Markdown, to read) or json (schema_version 1, to keep)")
      ->check(CLI::IsMember({"md", "json"}))
      ->capture_default_str();
  exporting->add_option("-o,--out", export_request.out_path, "Write to this file (created or replaced) instead of stdout");
  auto* reporting = app.add_subcommand("report", "Org-wide figures by team; teams under 5 people are never shown alone");
  ReportRequest report_request;
  std::string report_kind;
  std::string report_format = "table";
  reporting->add_option("kind", report_kind,
                        "skills (most common skill tags on active goals) or participation (plans, check-ins, hours)")
      ->required()
      ->check(CLI::IsMember({"skills", "participation"}));
  reporting->add_option("--format", report_format, "table (to read), csv (RFC 4180) or json (schema_version 1)")
      ->check(CLI::IsMember({"table", "csv", "json"}))
      ->capture_default_str();
  reporting->add_option("-o,--out", report_request.out_path, "Write to this file (created or replaced) instead of stdout");
  auto* report_top = reporting->add_option("--top", report_request.top, "skills: how many tags to show per team")
                         ->check(CLI::Range(1, 1000))
                         ->capture_default_str();
  auto* importing = app.add_subcommand(
      "import-directory", "Create or update people and their managers from an org directory (CSV or JSON)");
  ImportRequest import_request;
  importing->add_option("file", import_request.file,
                        "CSV with a header row, or a JSON array of objects; columns: email, name, manager_email, team, "
                        "time_zone, region, slack_id, slack_team, teams_aad_id, teams_tenant")
      ->required();
  importing->add_flag("--dry-run", import_request.dry_run, "Report what would change and write nothing");
  auto* outboxing = app.add_subcommand("outbox", "Dead messages (given up on after outbox.max_attempts): list, send again");
  OutboxRequest outbox_request;
  std::int64_t outbox_retry = 0;
  auto* outbox_failed =
      outboxing->add_flag("--failed", outbox_request.failed, "List dead messages, oldest first, as a table");
  auto* outbox_retry_opt =
      outboxing->add_option("--retry", outbox_retry, "Send the dead message with this id again")->check(kMessageId);
  outbox_failed->excludes(outbox_retry_opt);
  outboxing->add_option("--limit", outbox_request.limit, "--failed: at most this many rows")
      ->check(CLI::Range(1, 100000))
      ->capture_default_str();
  auto* check = app.add_subcommand("check-config", "Check a config file and report every problem by key");
  std::string check_path;
  check->add_option("file", check_path, "The config file to check")->required();

  // CLI11 prints its message and has a code for each kind of mistake (105, 106, 109…);
  // scripts get one: 2, bad usage, as for a bad config. Help is not a mistake.
  const auto usage_error = [&app](const CLI::Error& e) { return app.exit(e) == 0 ? 0 : 2; };
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return usage_error(e);
  }
  // CLI11 cannot tie an option to a positional's value; reported the way it reports
  // its own validation errors.
  if (*reporting && report_kind != "skills" && report_top->count() > 0)
    return usage_error(CLI::ValidationError("--top", "only `report skills` has a top N"));
  if (*outboxing && !outbox_request.failed && outbox_retry_opt->count() == 0)
    return usage_error(CLI::RequiredError("outbox: --failed or --retry ID"));

  if (*check) return check_config(check_path, process_env(), std::cout);

  ConfigResult loaded = config_path.empty() ? default_config(process_env()) : load_config_file(config_path, process_env());
  if (!loaded.ok()) {
    for (const auto& p : loaded.problems)
      std::cerr << "coachbot: " << (config_path.empty() ? "" : config_path + ": ") << (p.key.empty() ? "" : p.key + ": ")
                << p.message << '\n';
    return 2;
  }
  Config& config = loaded.config;
  if (!db_path.empty()) config.database_path = db_path;
  if (!log_level.empty()) config.log_level = log_level;
  if (log_json) config.log_json = true;
  // The chat owns the terminal: a person talking to the bot reads its replies, not the
  // service's warnings (a prompt skipped as late). The reader of an export, a report or
  // an import's list of changes wants the document alone. Unless asked otherwise.
  if ((*chat || *exporting || *reporting || *importing || *outboxing) && log_level.empty() && config_path.empty())
    config.log_level = *chat ? "error" : "warn";
  setup_logging(config.log_level, config.log_json);

  if (*chat) return run_chat(config, ChatRequest{as}, std::cin, std::cout, std::cerr);
  if (*exporting) {
    export_request.format = export_format == "json" ? ExportFormat::json : ExportFormat::markdown;
    return run_export(config, export_request, std::cout, std::cerr);
  }
  if (*reporting) {
    report_request.kind = report_kind == "participation" ? ReportKind::participation : ReportKind::skills;
    report_request.format = report_format == "csv"    ? ReportFormat::csv
                            : report_format == "json" ? ReportFormat::json
                                                      : ReportFormat::table;
    return run_report(config, report_request, SystemClock{}, std::cout, std::cerr);
  }
  if (*outboxing) {
    if (outbox_retry_opt->count() > 0) outbox_request.retry = outbox_retry;
    return run_outbox(config, outbox_request, SystemClock{}, std::cout, std::cerr);
  }
  if (*importing) return run_import_directory(config, import_request, SystemClock{}, std::cout, std::cerr);
  if (*run) return run_service(config, std::cin, std::cout, std::cerr);
  std::cout << app.help();
  return 0;
}

}  // namespace bot
