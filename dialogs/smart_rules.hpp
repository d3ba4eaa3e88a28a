#pragma once
// The SMART-goal coaching rules in one place, so that what counts as specific,
// measurable and time-bound reads as a list rather than being spread through the
// goal dialog. Each check looks for the one most useful gap and gives one friendly
// clarifying question; it never rewrites what the person typed. Pure functions: no
// I/O and no clock (`today` is passed in, already in the person's time zone), so
// they are thread-safe.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <date/date.h>

namespace dialogs::smart {

enum class Gap { none, too_short, vague_verb, no_measure };

struct Review {
  Gap gap = Gap::none;
  std::string question;  // ONE clarifying question to ask; empty when gap is none
};

// Specific: under 4 words is too_short; a statement whose main verb phrase is only
// vague ("improve", "get better at", "learn about", ...) is vague_verb unless a
// concrete outcome follows a link word ("... to pass the exam", "... so I can ship
// it", "... to under 2 seconds"). A vague verb wins over too_short ("Improve my
// Python" is vague_verb).
Review review_statement(std::string_view statement);

// Measurable: a number, or an observable outcome word ("pass", "ship", "publish",
// "give a talk", "3 merged PRs", ...), makes a measure; anything else is no_measure.
Review review_measure(std::string_view measure);

// Time-bound: a target date as typed. `problem` is set (and `date` empty) when the
// text cannot be read, names an impossible day, is today or earlier, or lies more
// than 18 months after today.
struct DateResult {
  std::optional<date::year_month_day> date;
  std::string problem;
};
DateResult parse_target_date(std::string_view typed, date::year_month_day today);

// Skill tags as typed ("SQL, Public   Speaking; sql") -> {"sql", "public speaking"}.
// Empty input gives an empty list. nullopt, with the reason in *problem when problem
// is not null, when there are more than 10 tags or one is longer than 40 characters.
std::optional<std::vector<std::string>> normalise_skill_tags(std::string_view typed, std::string* problem);

std::string format_date(date::year_month_day d);  // "2027-03-31"

}  // namespace dialogs::smart
