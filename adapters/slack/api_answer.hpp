#pragma once
// Reading a Web API answer. Slack echoes whole messages and views back from the calls
// that post them (chat.postMessage, chat.update, views.publish…), and nobody here reads
// those echoes: for such methods only the top level's plain values are kept (ok, error,
// channel, ts, warning), and deeper ones are skipped without being built. An answer
// that is not ok is read whole, for its response_metadata. Pure; thread-safe.
#include <string_view>

#include <nlohmann/json.hpp>

namespace adapters::slack {

// The answer to `method` as JSON; `discarded` when it is not JSON at all.
nlohmann::json read_api_answer(std::string_view method, std::string_view body);

}  // namespace adapters::slack
