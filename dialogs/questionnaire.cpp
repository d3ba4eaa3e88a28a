#include "dialogs/questionnaire.hpp"

#include <algorithm>
#include <charconv>
#include <utility>

#include "bot/local_time.hpp"
#include "bot/text.hpp"
#include "dialogs/commands.hpp"

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

// Form labels stay short enough to read at a glance (and well inside Slack's limits);
// what does not fit goes to the hint, with the question's help when that is short.
constexpr std::size_t kLabelBytes = 150;
constexpr std::size_t kShortHelpBytes = 200;

bool word_char(char ch) {
  const auto u = static_cast<unsigned char>(ch);
  return (u >= '0' && u <= '9') || (u >= 'a' && u <= 'z') || (u >= 'A' && u <= 'Z') || u >= 0x80;
}
bool space(char ch) { return ch == ' ' || ch == '\n' || ch == '\t'; }

// Our markdown as plain words: a form shows no markup. Only markers that open or close
// emphasis go; an underscore inside a word (America/New_York) or a lone "5 * 3" stays.
std::string plain(std::string_view text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char ch = text[i];
    if (ch == '`') continue;
    if (ch == '*' || ch == '_') {
      const bool word_before = i > 0 && word_char(text[i - 1]);
      const bool word_after = i + 1 < text.size() && word_char(text[i + 1]);
      const bool space_before = i == 0 || space(text[i - 1]);
      const bool space_after = i + 1 == text.size() || space(text[i + 1]);
      if ((!word_before && !space_after) || (!word_after && !space_before)) continue;
    }
    out += ch;
  }
  return out;
}

// A prompt as a form label, and what did not fit in it.
std::pair<std::string, std::string> label_and_rest(std::string_view prompt) {
  std::string label = plain(prompt);
  std::string rest;
  // Later lines are chat asides ("Right now it is bob."): hint material.
  if (const auto nl = label.find('\n'); nl != std::string::npos) {
    rest = std::string{bot::trim(std::string_view{label}.substr(nl + 1))};
    std::replace(rest.begin(), rest.end(), '\n', ' ');
    label.resize(nl);
  }
  if (label.size() <= kLabelBytes) return {label, rest};
  std::size_t cut = 0;
  for (std::size_t p = 1; p <= kLabelBytes; ++p) {
    const char end = label[p - 1];
    if ((end == '?' || end == '.' || end == '!' || end == ':') && space(label[p])) cut = p;
  }
  std::string head;
  std::string tail;
  if (cut > 0) {
    head = label.substr(0, cut);
    tail = std::string{bot::trim(std::string_view{label}.substr(cut))};
  } else {
    const std::string_view ellipsis = "\u2026";
    const std::size_t room = kLabelBytes - ellipsis.size();
    const std::size_t at_space = label.rfind(' ', room);
    head = at_space != std::string::npos && at_space > 0 ? label.substr(0, at_space) : bot::truncate_utf8(label, room);
    tail = std::string{ellipsis} + std::string{bot::trim(std::string_view{label}.substr(head.size()))};
    head += ellipsis;
  }
  return {head, rest.empty() ? tail : tail + " " + rest};
}

void fill_in(bot::Field& f, const std::string& value) {
  if (value.empty() || !bot::is_valid_utf8(value)) return;
  // A select can only open on one of its choices.
  const bool is_choice =
      std::any_of(f.choices.begin(), f.choices.end(), [&](const bot::Choice& ch) { return ch.value == value; });
  if (f.kind != bot::FieldKind::single_select || is_choice) f.initial = value;
}

bot::Field to_field(const Question& q, const std::map<std::string, std::string>& initial) {
  bot::Field f;
  f.id = q.id;
  auto [label, rest] = label_and_rest(q.prompt);
  f.label = std::move(label);
  f.hint = std::move(rest);
  if (const std::string help = plain(q.help); !help.empty() && help.size() <= kShortHelpBytes) {
    f.hint += (f.hint.empty() ? "" : " ") + help;
  }
  f.required = !q.optional;
  const FieldShape& shape = q.check.shape();
  f.kind = shape.kind;
  // Quick answers become the choices, unless they are only shortcuts into a wider
  // range of numbers (25/50/75/100 for a percentage): then the field takes any number.
  const bool covers_range = shape.kind == bot::FieldKind::number && shape.min && shape.max &&
                            static_cast<long long>(q.quick_answers.size()) ==
                                static_cast<long long>(*shape.max) - *shape.min + 1;
  if (!q.quick_answers.empty() && (shape.kind != bot::FieldKind::number || covers_range)) {
    f.kind = bot::FieldKind::single_select;
    for (const auto& b : q.quick_answers) f.choices.push_back({b.value, plain(b.label)});
  } else if (shape.kind == bot::FieldKind::single_select) {
    f.choices = shape.choices;
  } else if (shape.kind == bot::FieldKind::number) {
    if (shape.min) f.min = *shape.min;
    if (shape.max) f.max = *shape.max;
  } else {
    f.max_length = shape.max_length;
  }
  if (const auto it = initial.find(q.id); it != initial.end()) fill_in(f, it->second);
  return f;
}

// The action of a question's quick-answer buttons.
std::string question_action(const Question& q) { return std::string{kQuestionAction} + q.id; }

}  // namespace

json Questionnaire::initial_data(const bot::Context&) const { return json::object(); }
std::vector<Question> Questionnaire::form_questions(const json& data, const json& answers, const bot::Context& c) const {
  return questions(data, answers, c);
}
std::string Questionnaire::form_title(const json&) const {
  std::string t{title()};
  if (!t.empty() && t[0] >= 'a' && t[0] <= 'z') t[0] = static_cast<char>(t[0] - 'a' + 'A');
  return bot::truncate_utf8(t, 24);
}
std::map<std::string, std::string> Questionnaire::form_initial(const json&) const { return {}; }
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
  bot::Transition t = ask(std::move(state), c, std::move(before));
  // The same questions as a form, for platforms that can open one at once; the
  // question asked here stays the way to answer everywhere else.
  if (offers_form() && t.next && !t.messages.empty()) t.messages.back().form = form(t.next->data, c);
  return t;
}

bot::Form Questionnaire::form(const json& state, const bot::Context& c) const {
  const json& data = state.at("data");
  bot::Form f{std::string{name()}, form_title(data), "Save", {}, {}, true};
  const auto initial = form_initial(data);
  for (const auto& q : form_questions(data, json::object(), c)) f.fields.push_back(to_field(q, initial));
  return f;
}

bot::Transition Questionnaire::submit(const bot::DialogState& s, const bot::Input& in, const bot::Context& c) const {
  const json& data = s.data.at("data");
  json answers = json::object();
  std::map<std::string, std::string> errors;
  std::vector<std::string> problems;
  for (std::size_t i = 0;; ++i) {
    // Recomputed per answer, as step() does: the contract lets questions depend on the
    // answers before them.
    const auto qs = form_questions(data, answers, c);
    if (i >= qs.size()) break;
    const Question& q = qs[i];
    const auto it = in.form.find(q.id);
    const std::string value = it == in.form.end() ? std::string{} : it->second;
    std::string problem;
    if (!bot::is_valid_utf8(value)) {
      problem = "I couldn't read this (it is not valid UTF-8 text).";
    } else if (bot::trim(value).empty()) {
      if (q.optional) answers[q.id] = nullptr;
      else problem = "Please answer this.";
    } else if (Answer a = q.check(value, c); a.ok()) {
      // A coaching follow-up has no place in a form: the answer is taken as it is.
      answers[q.id] = std::move(a.value);
    } else {
      problem = std::move(a.problem);
    }
    if (problem.empty()) continue;
    problems.push_back("- " + label_and_rest(q.prompt).first + ": " + problem);
    errors[q.id] = std::move(problem);
  }
  if (errors.empty()) return finish(data, answers, c);

  bot::Form again = form(s.data, c);
  again.errors = std::move(errors);
  again.also_asked = false;
  // Opens on what was sent, so only the refused answers need retyping.
  for (auto& f : again.fields) {
    f.initial.reset();
    if (const auto it = in.form.find(f.id); it != in.form.end()) fill_in(f, it->second);
  }
  bot::Message m = bot::Message::text(bot::Recipient::dm(c.person.id),
                                      "A few answers need another look:\n" + bot::join(problems, "\n"));
  m.form = std::move(again);
  return bot::Transition{s, {}, {std::move(m)}};
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

std::string show_time_of_day(const json& v) {
  return v.is_number_integer() ? bot::format_time_of_day(v.get<int>()) : v.dump();
}

std::string show_weekday(const json& v) {
  if (!v.is_number_integer()) return v.dump();
  const int d = v.get<int>();
  return d >= 1 && d <= 7 ? std::string{bot::weekday_name(d)} : v.dump();
}

std::string show_hours(const json& v) {
  return v.is_number_integer() ? bot::format_hours(v.get<int>()) : v.dump();
}

std::string show_percent(const json& v) {
  return (v.is_string() ? v.get<std::string>() : v.dump()) + "%";
}

namespace {

std::string shown_answer(const Question& q, const json& value) {
  if (q.show) return q.show(value);
  std::string shown;
  if (value.is_string()) {
    shown = value.get<std::string>();
    if (shown.empty()) shown = "none";
  } else if (value.is_boolean()) {
    shown = value.get<bool>() ? "yes" : "no";
  } else if (value.is_array()) {
    for (const auto& item : value) {
      if (!shown.empty()) shown += ", ";
      shown += item.is_string() ? item.get<std::string>() : item.dump();
    }
  } else {
    shown = value.dump();
  }
  // A choice shows as its button said it, not as the value stored for it.
  for (const auto& b : q.quick_answers)
    if (b.value == shown) return b.label;
  return shown;
}

}  // namespace

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
    prompt += "\n(Your answer was: " + shown_answer(q, *prev) + ")";
  }
  m.sections.push_back({std::move(prompt)});
  m.buttons = q.quick_answers;
  // Each button names its question, so a click that arrives after the dialog moved on
  // (a double click before the buttons were taken away) cannot answer the next one.
  for (auto& b : m.buttons) b.id = question_action(q);
  return bot::Transition{wrap(std::move(state)), {}, {std::move(m)}};
}

bot::Transition Questionnaire::step(const bot::DialogState& s, const bot::Input& in, const bot::Context& c) const {
  json state = s.data;
  const auto qs = questions(state["data"], state["answers"], c);
  const std::size_t i = at(state);
  if (i >= qs.size()) return finish(state["data"], state["answers"], c);
  if (in.kind == bot::Input::Kind::form) {
    if (in.action == name() && offers_form()) return submit(s, in, c);
    // A modal left open from an earlier dialog: this one stays where it was.
    return ask(std::move(state), c,
               {"That form is no longer open, so nothing in it was saved. We're in the middle of your " +
                std::string{title()} + ":"});
  }
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
  // "keep" where no Keep button says what it keeps: the answer the coaching question
  // was about, else what an optional question already holds (as skip does). Never the
  // word itself as an answer.
  const bool keep_button = std::any_of(q.quick_answers.begin(), q.quick_answers.end(),
                                       [](const bot::Button& b) { return b.value == "keep"; });
  const auto clarified = state.find("clarified");
  if (word == "keep" && !keep_button && clarified != state.end() && clarified->is_object() &&
      clarified->contains(q.id)) {
    answer = Answer::accept(clarified->at(q.id));
  } else if ((word == "skip" || (word == "keep" && !keep_button)) && q.optional) {
    answer = Answer::accept(nullptr);
  } else if (word == "skip") {
    return ask(std::move(state), c, {"This one can't be skipped."});
  } else if (in.kind == bot::Input::Kind::button && in.action.starts_with(kQuestionAction) &&
             in.action != question_action(q)) {
    bot::Transition t = ask(std::move(state), c, {"That button belonged to an earlier question; this is the one open now."});
    t.declined = true;
    return t;
  } else if (in.kind == bot::Input::Kind::button) {
    answer = q.check(in.value, c);
  } else if (in.kind == bot::Input::Kind::text) {
    answer = q.check(in.text, c);
  } else {
    answer = Answer::refuse("Please answer in a message.");
  }
  if (!answer.ok()) {
    std::string problem = std::move(answer.problem);
    // A command typed here is taken as the answer (help aside): say how to get to it.
    if (in.kind == bot::Input::Kind::text) {
      if (const auto command = parse_command_line(in.text);
          command && command->command != Command::help && command->command != Command::greeting)
        problem += "\n(To use *" + std::string{bot::trim(in.text)} + "* instead, type *cancel* first to leave this " +
                   std::string{title()} + ".)";
    }
    bot::Transition t = ask(std::move(state), c, {std::move(problem)});
    t.declined = in.kind == bot::Input::Kind::button;  // a button whose value is not an answer here
    return t;
  }

  std::vector<std::string> note;
  if (!answer.clarify.empty()) {
    json& coached = state["coached"];
    if (!coached.is_array()) coached = json::array();
    const bool asked_here = std::find(coached.begin(), coached.end(), q.id) != coached.end();
    if (!asked_here && coached.size() < static_cast<std::size_t>(max_clarifications())) {
      coached.push_back(q.id);
      state["clarified"][q.id] = answer.value;
      bot::Transition t = ask(std::move(state), c, {});
      // Ask the coaching question in place of the original one.
      t.messages.back().sections.back().text =
          answer.clarify + "\n(Or type *keep* to keep your answer, or the same answer again.)";
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

Check whole_number_check(int min, int max, std::string unit) {
  return Check{[min, max, unit = std::move(unit)](std::string_view t, const bot::Context&) {
                 return whole_number(t, min, max, unit);
               },
               FieldShape{bot::FieldKind::number, min, max, {}, {}}};
}

Check short_text_check(std::size_t max_chars, std::string what) {
  return Check{[max_chars, what = std::move(what)](std::string_view t, const bot::Context&) {
                 return short_text(t, max_chars, what);
               },
               FieldShape{bot::FieldKind::long_text, {}, {}, static_cast<int>(max_chars), {}}};
}

Check yes_no_check() {
  return Check{[](std::string_view t, const bot::Context&) { return yes_no(t); },
               FieldShape{bot::FieldKind::single_select, {}, {}, {}, {{"yes", "Yes"}, {"no", "No"}}}};
}

Answer yes_no(std::string_view text) {
  const std::string t = bot::lower(bot::trim(text));
  if (t == "yes" || t == "y" || t == "yes please") return Answer::accept(true);
  if (t == "no" || t == "n" || t == "no thanks" || t == "not now") return Answer::accept(false);
  return Answer::refuse("Please answer yes or no.");
}

}  // namespace dialogs
