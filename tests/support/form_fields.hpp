#pragma once
// Form fields as the rendering and parsing tests build them: required, and labelled
// "Label of <id>" unless a label is given. Pure; thread-safe.
#include <string>
#include <utility>

#include "bot/message.hpp"

namespace testing {

inline bot::Field field(std::string id, bot::FieldKind kind, std::string label = {}) {
  bot::Field f;
  f.label = label.empty() ? "Label of " + id : std::move(label);
  f.id = std::move(id);
  f.kind = kind;
  return f;
}

}  // namespace testing
