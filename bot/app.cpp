#include "bot/app.hpp"

#include <unistd.h>

#include <filesystem>
#include <iostream>

#include <spdlog/spdlog.h>

#include "adapters/console/console_chat.hpp"
#include "bot/engine.hpp"
#include "bot/outbox_sender.hpp"
#include "bot/text.hpp"
#include "dialogs/coach_conversation.hpp"
#include "storage/sqlite_store.hpp"

namespace bot {

namespace {

EngineSettings engine_settings(const Config& c) { return EngineSettings{c.defaults, c.session_expiry, c.objectives}; }

std::string absolute(const std::string& path) {
  std::error_code ec;
  auto p = std::filesystem::absolute(path, ec);
  return ec ? path : p.lexically_normal().string();
}

}  // namespace

int run_chat(const Config& config, const ChatRequest& request, std::istream& in, std::ostream& out, std::ostream& err) {
  const std::string handle = normalise_handle(request.as);
  if (handle.empty()) {
    err << "coachbot: --as needs a name made of letters, digits, '.', '_' or '-' (e.g. --as alice)\n";
    return 2;
  }
  const std::string db_path = absolute(config.database_path);
  try {
    storage::SqliteStore store{storage::OpenOptions{db_path, config.synchronous}};
    SystemClock clock;
    dialogs::CoachConversation conversation;
    Engine engine{store, conversation, clock, engine_settings(config)};
    OutboxSender sender{store, clock, config.outbox_max_attempts};
    const bool tty = ::isatty(STDIN_FILENO) == 1 && &in == &std::cin;
    out << "Coachbot local chat as " << handle << ". Database: " << db_path << "\n"
        << "Type /as NAME to become someone else, /quit to leave.\n\n";
    adapters::console::ConsoleChat chat{engine, sender, clock, in, out, {tty, "local"}};
    return chat.run(handle);
  } catch (const storage::DatabaseError& e) {
    err << "coachbot: " << e.what() << '\n';
    return 2;
  }
}

int run_service(const Config& config, std::istream& in, std::ostream& out, std::ostream& err) {
  const bool slack = config.slack.enabled && config.secrets.slack_bot_token;
  const bool teams = config.teams.enabled && config.secrets.microsoft_app_id;
  spdlog::info("slack: {}", slack ? "configured, but this build has no Slack adapter yet" : "off (not enabled or no SLACK_BOT_TOKEN)");
  spdlog::info("teams: {}", teams ? "configured, but this build has no Teams adapter yet" : "off (not enabled or no MICROSOFT_APP_ID)");
  // With no platform to serve, the useful thing to run is the local chat.
  const char* user = std::getenv("USER");
  std::string as = user && *user ? user : "me";
  if (normalise_handle(as).empty()) as = "me";
  return run_chat(config, ChatRequest{as}, in, out, err);
}

int check_config(const std::string& path, const EnvLookup& env, std::ostream& out) {
  const ConfigResult r = load_config_file(path, env);
  if (r.ok()) {
    out << path << ": OK\n";
    return 0;
  }
  for (const auto& p : r.problems) {
    out << path << ": " << (p.key.empty() ? "" : p.key + ": ") << p.message << '\n';
  }
  out << r.problems.size() << (r.problems.size() == 1 ? " problem" : " problems") << " found\n";
  return 1;
}

}  // namespace bot
