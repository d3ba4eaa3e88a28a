#include "bot/cli.hpp"

#include <iostream>

#include <CLI/CLI.hpp>

#include "bot/app.hpp"
#include "bot/logging.hpp"

namespace bot {

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
  auto* check = app.add_subcommand("check-config", "Check a config file and report every problem by key");
  std::string check_path;
  check->add_option("file", check_path, "The config file to check")->required();

  CLI11_PARSE(app, argc, argv);

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
  // The chat owns the terminal: only warnings and worse interrupt it unless asked.
  if (*chat && log_level.empty() && config_path.empty()) config.log_level = "warn";
  setup_logging(config.log_level, config.log_json);

  if (*chat) return run_chat(config, ChatRequest{as}, std::cin, std::cout, std::cerr);
  if (*run) return run_service(config, std::cin, std::cout, std::cerr);
  std::cout << app.help();
  return 0;
}

}  // namespace bot
