#include "adapters/console/form_filler.hpp"

#include <charconv>
#include <cmath>
#include <sstream>

#include <date/date.h>

#include "bot/text.hpp"

namespace adapters::console {

std::string FormFiller::prompt() const {
  if (done()) return {};
  const bot::Field& f = form_.fields[index_];
  std::string p = f.label;
  if (!f.hint.empty()) p += " (" + f.hint + ")";
  switch (f.kind) {
    case bot::FieldKind::number:
      if (f.min && f.max) p += " [" + std::to_string(static_cast<long long>(*f.min)) + "–" + std::to_string(static_cast<long long>(*f.max)) + "]";
      break;
    case bot::FieldKind::date: p += " [YYYY-MM-DD]"; break;
    case bot::FieldKind::toggle: p += " [yes/no]"; break;
    case bot::FieldKind::single_select:
      for (std::size_t i = 0; i < f.choices.size(); ++i) p += "\n  [" + std::to_string(i + 1) + "] " + f.choices[i].label;
      break;
    default: break;
  }
  if (!f.required) p += "\n(optional: press Enter or type skip)";
  if (f.initial) p += "\n(Enter keeps: " + *f.initial + ")";
  return p;
}

std::optional<std::string> FormFiller::answer(std::string_view typed) {
  const bot::Field& f = form_.fields[index_];
  std::string text{bot::trim(typed)};
  if (text.empty() && f.initial) text = *f.initial;
  if (text.empty() || bot::lower(text) == "skip") {
    if (f.required) return "This field is required.";
    ++index_;
    return std::nullopt;
  }
  switch (f.kind) {
    case bot::FieldKind::number: {
      double v = 0;
      const auto r = std::from_chars(text.data(), text.data() + text.size(), v);
      if (r.ec != std::errc{} || r.ptr != text.data() + text.size() || !std::isfinite(v)) return "Please type a number.";
      if ((f.min && v < *f.min) || (f.max && v > *f.max)) return "That number is out of range.";
      break;
    }
    case bot::FieldKind::single_select: {
      std::optional<std::string> chosen;
      std::size_t n = 0;
      const auto r = std::from_chars(text.data(), text.data() + text.size(), n);
      if (r.ec == std::errc{} && r.ptr == text.data() + text.size() && n >= 1 && n <= f.choices.size()) {
        chosen = f.choices[n - 1].value;
      }
      for (const auto& c : f.choices)
        if (!chosen && (bot::lower(c.label) == bot::lower(text) || c.value == text)) chosen = c.value;
      if (!chosen) return "Please pick one of the numbered choices.";
      text = *chosen;
      break;
    }
    case bot::FieldKind::date: {
      std::istringstream in{text};
      date::year_month_day ymd{};
      in >> date::parse("%F", ymd);
      if (in.fail() || !ymd.ok() || in.peek() != std::char_traits<char>::eof()) return "Please type a date as YYYY-MM-DD.";
      break;
    }
    case bot::FieldKind::toggle: {
      const std::string t = bot::lower(text);
      if (t == "yes" || t == "y" || t == "true") text = "true";
      else if (t == "no" || t == "n" || t == "false") text = "false";
      else return "Please answer yes or no.";
      break;
    }
    case bot::FieldKind::text:
    case bot::FieldKind::long_text:
    case bot::FieldKind::person:
      if (f.max_length && static_cast<int>(text.size()) > *f.max_length)
        return "Please keep it under " + std::to_string(*f.max_length) + " characters.";
      break;
  }
  values_[f.id] = text;
  ++index_;
  return std::nullopt;
}

}  // namespace adapters::console
