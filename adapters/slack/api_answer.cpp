#include "adapters/slack/api_answer.hpp"

#include <algorithm>
#include <array>
#include <string>
#include <utility>

namespace adapters::slack {

namespace {

using json = nlohmann::json;

// The methods whose answers carry an echo of what was posted.
constexpr std::array kEchoing{std::string_view{"chat.postMessage"}, std::string_view{"chat.update"},
                              std::string_view{"chat.delete"}, std::string_view{"views.publish"},
                              std::string_view{"views.open"}, std::string_view{"views.update"},
                              std::string_view{"views.push"}};

// Builds the top-level object's members whose values are not objects or arrays.
class TopLevelValues final : public nlohmann::json_sax<json> {
 public:
  explicit TopLevelValues(json& out) : out_(out) {}
  bool null() override { return put(nullptr); }
  bool boolean(bool v) override { return put(v); }
  bool number_integer(number_integer_t v) override { return put(v); }
  bool number_unsigned(number_unsigned_t v) override { return put(v); }
  bool number_float(number_float_t v, const string_t&) override { return put(v); }
  bool string(string_t& v) override { return put(std::move(v)); }
  bool binary(binary_t&) override { return true; }
  bool start_object(std::size_t) override {
    if (depth_++ == 0) out_ = json::object();
    return true;
  }
  bool key(string_t& k) override {
    if (depth_ == 1) key_ = std::move(k);
    return true;
  }
  bool end_object() override {
    --depth_;
    return true;
  }
  bool start_array(std::size_t) override {
    if (depth_++ == 0) out_ = json::array();  // not an object: the caller says so
    return true;
  }
  bool end_array() override {
    --depth_;
    return true;
  }
  bool parse_error(std::size_t, const std::string&, const nlohmann::detail::exception&) override { return false; }

 private:
  template <class T>
  bool put(T&& v) {
    if (depth_ == 0) out_ = json(std::forward<T>(v));
    else if (depth_ == 1 && out_.is_object()) out_[key_] = std::forward<T>(v);
    return true;
  }
  json& out_;
  std::string key_;
  int depth_ = 0;
};

}  // namespace

json read_api_answer(std::string_view method, std::string_view body) {
  if (std::ranges::find(kEchoing, method) != kEchoing.end()) {
    json top;
    TopLevelValues reader{top};
    if (!json::sax_parse(body, &reader)) return json(json::value_t::discarded);
    const auto ok = top.find("ok");
    if (top.is_object() && ok != top.end() && ok->is_boolean() && ok->get<bool>()) return top;
  }
  return json::parse(body, nullptr, false);
}

}  // namespace adapters::slack
