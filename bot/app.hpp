#pragma once
// Wiring: the only place that sees storage, dialogs and adapters together. Builds the
// store, the conversation, the engine and the outbox sender from a Config and runs
// one of the sub-commands. Not thread-safe; one App per process.
#include <iosfwd>
#include <string>

#include "bot/config.hpp"

namespace bot {

struct ChatRequest {
  std::string as;  // the person to chat as
};

// Each returns the process exit code; problems are printed to `err`.
int run_chat(const Config& config, const ChatRequest& request, std::istream& in, std::ostream& out, std::ostream& err);
int run_service(const Config& config, std::istream& in, std::ostream& out, std::ostream& err);
int check_config(const std::string& path, const EnvLookup& env, std::ostream& out);

}  // namespace bot
