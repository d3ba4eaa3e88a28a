#pragma once
// `save <note or link>`: keeps a piece of evidence in the person's portfolio and asks
// which goal it belongs to (or none). `save` alone asks for the note first. The first
// web link in the note is stored as its URL. Visibility follows the person's default
// for evidence. Stateless; thread-safe.
#include "dialogs/questionnaire.hpp"

namespace dialogs {

class EvidenceDialog final : public Questionnaire {
 public:
  std::string_view name() const override { return "evidence"; }
  std::string_view title() const override { return "portfolio note"; }
  // Seed for `save <text>`.
  static nlohmann::json with_content(const std::string& text);

 protected:
  nlohmann::json initial_data(const bot::Context& c) const override;
  std::vector<Question> questions(const nlohmann::json& data, const nlohmann::json& answers,
                                  const bot::Context& c) const override;
  bot::Transition finish(const nlohmann::json& data, const nlohmann::json& answers,
                         const bot::Context& c) const override;
};

// Checks the text of a piece of evidence (also used for `save <text>` before the
// dialog starts, so a bad argument is refused at once).
Answer evidence_text(std::string_view text);

}  // namespace dialogs
