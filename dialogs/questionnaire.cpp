#include "dialogs/questionnaire.hpp"

#include <algorithm>
#include <charconv>

#include "bot/text.hpp"

namespace dialogs {

using nlohmann::json;

namespace {

// State layout (schema_version 1):
//   { "at": index of the question being asked, "path": indices answered so far in
//     order (for `back`), "answers": {id: value}, "data": dialog-specific }
std::size_t at(const json& s) { return s.value("at", std::size_t{0}); }

std::string keyword(const bot::Input& in) {
  if (in.kind == bot::Input::Kind::button) return {};
  return bot::lower(bot::trim(in.text));
}

std::string options_hint(const Question& q, bool can_go_back) {
  std::vector<std::string> words;
  if (can_go_back) words.push_back("*back*");
  if (q.optional) words.push_back("*skip*");
  words.push_back("*help*");
  words.push_back("*cancel*");
  return "(You can also type " + bot::join(words, ", ") + ".)";
}

}  // namespace

json Questionnaire::initial_data(const bot::Context&) const { return json::object(); }
std::string Questionnaire::intro(const json&, const bot::Context&) const { return {}; }
std::string Questionnaire::cancelled_text() const {
  return "Okay, I stopped the " + std::string{title()} + ". Nothing was saved.";
}

bot::DialogState Questionnaire::wrap(json state) const {
  return bot::DialogState{std::string{name()}, schema_version(), std::move(state)};
}

bot::Transition Questionnaire::cancelled(const json&, const bot::Context& c) const {
  return bot::Transition{std::nullopt, {}, {bot::Message::text(bot::Recipient::dm(c.person.id), cancelled_text())}};
}

bot::Transition Questionnaire::start(const bot::Context& c, std::string preface, const json& seed) const {
  json data = initial_data(c);
  if (seed.is_object() && data.is_object()) data.update(seed);
  json state = {{"at", 0}, {"path", json::array()}, {"answers", json::object()}, {"data", std::move(data)}};
  std::vector<std::string> before;
  if (!preface.empty()) before.push_back(std::move(preface));
  if (auto i = intro(state["data"], c); !i.empty()) before.push_back(std::move(i));
  return ask(std::move(state), c, std::move(before));
}

bool Questionnaire::started_unasked(const json&) const { return false; }

bool Questionnaire::yields_to(const bot::DialogState& s, std::string_view text, const bot::Context& c) const {
  json state = s.data;
  if (!started_unasked(state["data"])) return false;
  const auto qs = questions(state["data"], state["answers"], c);
  const std::size_t i = at(state);
  return i < qs.size() && !qs[i].check(text, c).ok();
}

bot::Transition Questionnaire::resume(const bot::DialogState& s, const bot::Context& c, std::string preface) const {
  return ask(s.data, c, {std::move(preface)});
}

bot::Transition Questionnaire::ask(json state, const bot::Context& c, std::vector<std::string> before) const {
  const auto qs = questions(state["data"], state["answers"], c);
  const std::size_t i = at(state);
  if (i >= qs.size()) return finish(state["data"], state["answers"], c);
  const Question& q = qs[i];
  bot::Message m = bot::Message::text(bot::Recipient::dm(c.person.id), {});
  m.sections.clear();
  for (auto& b : before) m.sections.push_back({std::move(b)});
  std::string prompt = q.prompt;
  if (auto prev = state["answers"].find(q.id); prev != state["answers"].end() && !prev->is_null()) {
    prompt += "\n(Your answer was: " + (prev->is_string() ? prev->get<std::string>() : prev->dump()) + ")";
  }
  m.sections.push_back({std::move(prompt)});
  m.buttons = q.quick_answers;
  return bot::Transition{wrap(std::move(state)), {}, {std::move(m)}};
}

bot::Transition Questionnaire::step(const bot::DialogState& s, const bot::Input& in, const bot::Context& c) const {
  json state = s.data;
  const auto qs = questions(state["data"], state["answers"], c);
  const std::size_t i = at(state);
  if (i >= qs.size()) return finish(state["data"], state["answers"], c);
  const Question& q = qs[i];
  json& path = state["path"];
  const std::string word = keyword(in);

  if (word == "cancel" || word == "stop" || word == "quit") return cancelled(state["data"], c);
  if (word == "help" || word == "?") {
    std::string text = q.help.empty() ? std::string{} : q.help + "\n";
    text += options_hint(q, !path.empty());
    return ask(std::move(state), c, {std::move(text)});
  }
  if (word == "back") {
    if (path.empty()) return ask(std::move(state), c, {"This is the first question, there is nothing before it."});
    state["at"] = path.back();
    path.erase(path.size() - 1);
    return ask(std::move(state), c, {});
  }

  Answer answer;
  if (word == "skip") {
    if (!q.optional) return ask(std::move(state), c, {"This one can't be skipped."});
    answer = Answer::accept(nullptr);
  } else if (in.kind == bot::Input::Kind::button) {
    answer = q.check(in.value, c);
  } else if (in.kind == bot::Input::Kind::text) {
    answer = q.check(in.text, c);
  } else {
    answer = Answer::refuse("Please answer in a message.");
  }
  if (!answer.ok()) return ask(std::move(state), c, {answer.problem});

  std::vector<std::string> note;
  if (!answer.clarify.empty()) {
    json& coached = state["coached"];
    if (!coached.is_array()) coached = json::array();
    const bool asked_here = std::find(coached.begin(), coached.end(), q.id) != coached.end();
    if (!asked_here && coached.size() < static_cast<std::size_t>(max_clarifications())) {
      coached.push_back(q.id);
      bot::Transition t = ask(std::move(state), c, {});
      // Ask the coaching question in place of the original one.
      t.messages.back().sections.back().text = answer.clarify + "\n(Or type the same answer again to keep it.)";
      return t;
    }
    note.push_back("Noted as it is; you can sharpen it later.");
  }

  state["answers"][q.id] = std::move(answer.value);
  path.push_back(i);
  state["at"] = i + 1;
  return ask(std::move(state), c, std::move(note));
}

Answer whole_number(std::string_view text, int min, int max, std::string_view unit) {
  std::string t{bot::trim(text)};
  if (!unit.empty() && t.ends_with(unit)) t = std::string{bot::trim(std::string_view{t}.substr(0, t.size() - unit.size()))};
  const std::string range = std::to_string(min) + " to " + std::to_string(max);
  int v = 0;
  const auto r = std::from_chars(t.data(), t.data() + t.size(), v);
  if (t.empty() || r.ec == std::errc::invalid_argument || (r.ec == std::errc{} && r.ptr != t.data() + t.size())) {
    return Answer::refuse("I need a whole number from " + range + ", like " + std::to_string((min + max) / 2) + ".");
  }
  if (r.ec == std::errc::result_out_of_range && t.starts_with('-')) v = min - 1;
  else if (r.ec == std::errc::result_out_of_range) v = max + 1;
  if (v > max) {
    return Answer::refuse("That is more than " + std::to_string(max) + ". Give a number from " + range + ".");
  }
  if (v < min) return Answer::refuse("That is less than " + std::to_string(min) + ". Give a number from " + range + ".");
  return Answer::accept(v);
}

Answer short_text(std::string_view text, std::size_t max_chars, std::string_view what) {
  const auto t = bot::trim(text);
  if (t.empty()) return Answer::refuse("Please write a few words about " + std::string{what} + ".");
  // Count code points, not bytes, so the limit means the same in every language.
  std::size_t chars = 0;
  for (char ch : t) chars += (static_cast<unsigned char>(ch) & 0xC0u) != 0x80u;
  if (chars > max_chars) {
    return Answer::refuse("That is " + std::to_string(chars) + " characters; please keep it under " +
                          std::to_string(max_chars) + ".");
  }
  return Answer::accept(std::string{t});
}

Answer yes_no(std::string_view text) {
  const std::string t = bot::lower(bot::trim(text));
  if (t == "yes" || t == "y" || t == "yes please") return Answer::accept(true);
  if (t == "no" || t == "n" || t == "no thanks" || t == "not now") return Answer::accept(false);
  return Answer::refuse("Please answer yes or no.");
}

}  // namespace dialogs
