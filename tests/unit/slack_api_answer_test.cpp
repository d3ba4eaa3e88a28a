// Reading Web API answers: the echo of a posted message is skipped, nothing else is lost.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "adapters/slack/api_answer.hpp"

namespace {

using nlohmann::json;

const std::filesystem::path kWebApi = COACHBOT_SOURCE_DIR "/tests/fixtures/slack/web_api";

std::string text_of(const std::filesystem::path& p) {
  std::ifstream in{p};
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

}  // namespace

TEST_CASE("Every recorded Web API answer reads the same top level as a full parse", "[slack]") {
  int files = 0;
  for (const auto& entry : std::filesystem::directory_iterator{kWebApi}) {
    const std::string name = entry.path().filename().string();
    if (name.starts_with("http_429") || name.starts_with("error.")) continue;  // not one method's answer
    INFO(name);
    ++files;
    // "chat.postMessage.ok.json" -> "chat.postMessage"
    const std::string method = name.substr(0, name.find('.', name.find('.') + 1));
    const std::string body = text_of(entry.path());
    const json full = json::parse(body);
    const json read = adapters::slack::read_api_answer(method, body);
    REQUIRE(read.is_object());
    for (const auto& [key, value] : full.items()) {
      INFO(key);
      const bool echoing = method == "chat.postMessage" || method == "chat.update" || method.starts_with("views.");
      if (value.is_structured() && full.at("ok") == true && echoing)
        CHECK_FALSE(read.contains(key));  // the echo, skipped
      else
        CHECK(read.at(key) == value);
    }
    CHECK(read.size() <= full.size());
  }
  CHECK(files >= 20);
}

TEST_CASE("A posted message's answer keeps channel and ts, and a refusal keeps its details", "[slack]") {
  const json posted = adapters::slack::read_api_answer(
      "chat.postMessage", R"({"ok":true,"channel":"D1","ts":"1.2","message":{"blocks":[{"type":"section"}]}})");
  CHECK(posted == json{{"ok", true}, {"channel", "D1"}, {"ts", "1.2"}});
  const json refused = adapters::slack::read_api_answer(
      "views.publish",
      R"({"ok":false,"error":"invalid_arguments","response_metadata":{"messages":["[ERROR] too long"]}})");
  CHECK(refused.at("response_metadata").at("messages").at(0) == "[ERROR] too long");
  // Other methods' answers are read whole.
  const json user = adapters::slack::read_api_answer("users.info", R"({"ok":true,"user":{"tz":"Europe/Berlin"}})");
  CHECK(user.at("user").at("tz") == "Europe/Berlin");
}

TEST_CASE("An answer that is not a JSON object is not taken for one", "[slack]") {
  CHECK(adapters::slack::read_api_answer("chat.postMessage", "<html>Bad gateway</html>").is_discarded());
  CHECK(adapters::slack::read_api_answer("chat.postMessage", R"({"ok":true,"ts":"1.2")").is_discarded());
  CHECK(adapters::slack::read_api_answer("chat.postMessage", "").is_discarded());
  CHECK_FALSE(adapters::slack::read_api_answer("chat.postMessage", R"([{"ok":true}])").is_object());
  CHECK_FALSE(adapters::slack::read_api_answer("chat.postMessage", R"("ok")").is_object());
}
