#pragma once
// Process-wide logging setup (spdlog's default logger). Human-readable lines by
// default, JSON lines with json = true. Call once at start-up, before other threads
// exist; spdlog's loggers are thread-safe afterwards. Never log secrets or what people
// wrote: log ids, kinds and outcomes.
#include <string>

namespace bot {

void setup_logging(const std::string& level, bool json);

}  // namespace bot
