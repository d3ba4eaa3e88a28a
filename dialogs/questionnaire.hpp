#pragma once
// A dialog made of questions asked one at a time: the shape of onboarding and the
// check-in. It owns what every such dialog must do the same way: `help` explains the
// current question without losing the place, `back` returns to the previous
// question, `skip` passes an optional one, `cancel` ends without saving, an invalid
// answer is re-asked with the reason, and the state is plain JSON so the dialog
// resumes after a restart. Subclasses say which questions to ask and what finishing
// means. A questionnaire whose questions do not depend on earlier answers can also
// offer them all at once as a form (offers_form): the first question then carries the
// form, and a submitted form is checked question by question and finishes the dialog
// the same way. Stateless objects; safe to share between threads.
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <type_traits>
#include <vector>

#include <nlohmann/json.hpp>

#include "bot/dialog.hpp"

namespace dialogs {

// The action of a question's quick-answer buttons: this prefix and the question's id.
// Clicks with another action (buttons of messages sent before it existed) are taken
// as answers to whatever question is open, as they always were.
inline constexpr std::string_view kQuestionAction = "q.";

// A checked answer, or the reason it was refused (said to the person).
// An answer can also be acceptable but worth one coaching question ("clarify"): the
// question is asked instead of moving on, once per question and at most
// max_clarifications() times per dialog; after that the answer is taken as it is.
struct Answer {
  nlohmann::json value;
  std::string problem;
  std::string clarify;
  bool ok() const { return problem.empty(); }
  static Answer accept(nlohmann::json v) { return {std::move(v), {}, {}}; }
  static Answer refuse(std::string why) { return {nullptr, std::move(why), {}}; }
  static Answer coach(nlohmann::json v, std::string question) { return {std::move(v), {}, std::move(question)}; }
};

// What kind of form field fits a question's answers, known from how its check is
// built (whole_number_check is a number field, ...). The default, free text, is what a
// plain lambda gets.
struct FieldShape {
  bot::FieldKind kind = bot::FieldKind::long_text;
  std::optional<int> min;         // number
  std::optional<int> max;         // number
  std::optional<int> max_length;  // text, long_text
  std::vector<bot::Choice> choices;  // single_select, when the question has no quick answers
};

// A question's check, carrying the shape of the answers it accepts. Converts from any
// callable, so questions written with a lambda keep working.
class Check {
 public:
  using Fn = std::function<Answer(std::string_view text, const bot::Context&)>;
  Check() = default;
  template <typename F>
    requires(!std::is_same_v<std::remove_cvref_t<F>, Check> &&
             std::is_invocable_r_v<Answer, const F&, std::string_view, const bot::Context&>)
  Check(F fn, FieldShape shape = {}) : fn_(std::move(fn)), shape_(std::move(shape)) {}
  Answer operator()(std::string_view text, const bot::Context& c) const { return fn_(text, c); }
  const FieldShape& shape() const { return shape_; }

 private:
  Fn fn_;
  FieldShape shape_;
};

struct Question {
  std::string id;
  std::string prompt;
  std::string help;
  bool optional = false;
  std::vector<bot::Button> quick_answers;  // a click sends the button's value as the answer
  Check check;
  // How a stored answer reads when the question is asked again (after *back*), where
  // the value kept is not what was typed: 540 is "09:00". Unset: text as it is, yes/no,
  // a list joined, or the label of the button that sent it.
  std::function<std::string(const nlohmann::json&)> show = {};
};

// Ready-made `show`s for answers stored as numbers.
std::string show_time_of_day(const nlohmann::json& minutes_after_midnight);
std::string show_weekday(const nlohmann::json& iso_weekday);
std::string show_hours(const nlohmann::json& minutes);
std::string show_percent(const nlohmann::json& percent);

class Questionnaire {
 public:
  virtual ~Questionnaire() = default;
  virtual std::string_view name() const = 0;
  virtual std::string_view title() const = 0;  // "check-in", used in sentences
  virtual int schema_version() const { return 1; }

  // Starts the dialog; `preface` goes before the first question. `seed` (an object)
  // is merged into the dialog's data: what the dialog that led here already knows.
  // When offers_form(), the first question also carries every question as a form.
  bot::Transition start(const bot::Context& c, std::string preface = {},
                        const nlohmann::json& seed = nlohmann::json::object()) const;
  bot::Transition step(const bot::DialogState& state, const bot::Input& in, const bot::Context& c) const;
  // Whether a command typed where it is no valid answer runs instead (closing this
  // dialog). True for dialogs the bot started unasked (the reflection offered after a
  // check-in, the follow-up); a dialog the person asked for re-asks instead.
  bool yields_to(const bot::DialogState& state, std::string_view text, const bot::Context& c) const;
  // Asks the current question again, after `preface` (used when a person comes back).
  bot::Transition resume(const bot::DialogState& state, const bot::Context& c, std::string preface) const;
  // Whether start() also offers all questions as one form (id = name()). Only for
  // dialogs whose questions do not depend on earlier answers and need no coaching
  // follow-ups: a form is filled in one go.
  virtual bool offers_form() const { return false; }

 protected:
  // Dialog-specific data kept in the state next to the answers (e.g. the goals asked
  // about, fixed at start so that a resumed dialog asks the same questions).
  virtual nlohmann::json initial_data(const bot::Context& c) const;
  // The questions in order. They may depend on earlier answers (a loop of activities),
  // as long as the questions before an answer do not change when it is given.
  virtual std::vector<Question> questions(const nlohmann::json& data, const nlohmann::json& answers,
                                          const bot::Context& c) const = 0;
  virtual int max_clarifications() const { return 0; }
  // The questions as a form shows them: the same ids and checks as questions(), worded
  // for a form (no chat-only extras such as "keep" buttons). Form mode only.
  virtual std::vector<Question> form_questions(const nlohmann::json& data, const nlohmann::json& answers,
                                               const bot::Context& c) const;
  // The form's heading, at most 24 characters (Slack's limit for a modal title).
  virtual std::string form_title(const nlohmann::json& data) const;
  // Values the form opens with (question id -> text), e.g. an edit's earlier answers.
  virtual std::map<std::string, std::string> form_initial(const nlohmann::json& data) const;
  virtual bool started_unasked(const nlohmann::json& data) const;
  virtual std::string intro(const nlohmann::json& data, const bot::Context& c) const;
  // All questions answered: effects and the closing message(s).
  virtual bot::Transition finish(const nlohmann::json& data, const nlohmann::json& answers,
                                 const bot::Context& c) const = 0;
  virtual std::string cancelled_text() const;
  // The person typed `cancel`: by default the dialog ends saying cancelled_text().
  virtual bot::Transition cancelled(const nlohmann::json& data, const bot::Context& c) const;

 private:
  bot::Transition ask(nlohmann::json state, const bot::Context& c, std::vector<std::string> before) const;
  bot::Form form(const nlohmann::json& state, const bot::Context& c) const;
  bot::Transition submit(const bot::DialogState& s, const bot::Input& in, const bot::Context& c) const;
  bot::DialogState wrap(nlohmann::json state) const;
};

// Reusable checks.
Answer whole_number(std::string_view text, int min, int max, std::string_view unit = {});
Answer short_text(std::string_view text, std::size_t max_chars, std::string_view what);
Answer yes_no(std::string_view text);  // true or false
// The same checks with their form field shape: a number field, a long text field with
// its length limit, a yes/no choice.
Check whole_number_check(int min, int max, std::string unit = {});
Check short_text_check(std::size_t max_chars, std::string what);
Check yes_no_check();

}  // namespace dialogs
