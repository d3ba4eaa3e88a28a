#pragma once
// Asks a form's fields one at a time in the terminal, checking each answer against
// the field (required, number range, choice, date, yes/no), so a dialog that shows a
// form as a modal or card elsewhere works here unchanged. Not thread-safe.
#include <map>
#include <optional>
#include <string>

#include "bot/message.hpp"

namespace adapters::console {

class FormFiller {
 public:
  explicit FormFiller(bot::Form form) : form_(std::move(form)) {}
  // The question for the current field, with its choices.
  std::string prompt() const;
  // Takes an answer; returns the reason when it is refused (the same field is asked again).
  std::optional<std::string> answer(std::string_view text);
  bool done() const { return index_ >= form_.fields.size(); }
  const std::map<std::string, std::string>& values() const { return values_; }
  const bot::Form& form() const { return form_; }

 private:
  bot::Form form_;
  std::size_t index_ = 0;
  std::map<std::string, std::string> values_;
};

}  // namespace adapters::console
