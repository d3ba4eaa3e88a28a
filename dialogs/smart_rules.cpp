#include "dialogs/smart_rules.hpp"


#include <algorithm>
#include <array>
#include <charconv>

#include "bot/text.hpp"

namespace dialogs::smart {

namespace {

using Words = std::vector<std::string>;

// ---- The rules, as data -------------------------------------------------------------

// Openings that carry no content of their own: "I want to improve X" is judged as
// "improve X".
constexpr std::array<std::string_view, 12> kLeadIns{
    "i would like to", "i'd like to", "i want to", "i need to", "i wanna", "my goal is to",
    "i will", "i'll", "i am going to", "i'm going to", "to", "really"};

// Verb phrases that name a direction, not a destination. Longer phrases first, so the
// question quotes the whole phrase.
constexpr std::array<std::string_view, 16> kVagueVerbs{
    "get better at", "getting better at", "become better at", "be better at", "get good at",
    "know more about", "learn more about", "learn about", "learning about", "work on",
    "working on", "better understand", "understand", "understanding", "improve", "improving"};

// After a vague verb, a concrete outcome is introduced by one of these: "get better at
// SQL *to* pass the exam", "improve my Python *so* I can ship ...".
constexpr std::array<std::string_view, 15> kLinkWords{
    "so", "to", "by", "and", "until", "till", "can", "could", "enough", "then", "that",
    "from", "when", "with", "for"};

// Something another person could see happen. Inflections are spelled out rather than
// stemmed so that the list reads as what it accepts ("passion" is not "pass").
constexpr std::array<std::string_view, 63> kOutcomeWords{
    "pass", "passes", "passed", "passing",
    "ship", "ships", "shipped", "shipping",
    "publish", "publishes", "published", "publishing",
    "present", "presents", "presented", "presenting",
    "complete", "completes", "completed", "completing",
    "certified", "certification", "certificate",
    "deliver", "delivers", "delivered", "delivering",
    "merge", "merges", "merged", "merging",
    "release", "releases", "released", "releasing",
    "lead", "leads", "led", "leading",
    "run", "runs", "ran", "running",
    "write", "writes", "wrote", "written", "writing",
    "score", "scores", "scored", "scoring",
    "launch", "launches", "launched", "launching",
    "finish", "finishes", "finished", "finishing",
    "submit", "submitted", "promoted"};

// "give a talk", "gave a 10-minute presentation": give, then one of these soon after.
constexpr std::array<std::string_view, 5> kGiveVerbs{"give", "gives", "gave", "given", "giving"};
constexpr std::array<std::string_view, 10> kGiveObjects{
    "talk", "talks", "presentation", "presentations", "workshop",
    "workshops", "demo", "demos", "keynote", "lecture"};
constexpr std::size_t kGiveReach = 4;  // "give a short internal talk"

// "One" is left out: "feel confident one day" is no measure.
constexpr std::array<std::string_view, 16> kNumberWords{
    "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven",
    "twelve", "twenty", "fifty", "hundred", "twice", "dozen"};

constexpr std::size_t kMinStatementWords = 4;
constexpr int kMaxMonthsAhead = 18;
constexpr std::size_t kMaxTags = 10;
constexpr std::size_t kMaxTagChars = 40;

constexpr std::string_view kOutcomeQuestion =
    "What will you be able to do when you've got there? For example: "
    "\"Give a 10-minute talk at the team meeting\".";
constexpr std::string_view kMeasureQuestion =
    "How will you know you've got there? Something you can count or show works best, "
    "for example \"3 merged PRs\" or \"Pass the AWS SAA exam\".";
constexpr std::string_view kUnreadableDate = "I couldn't read that date. Try 2027-03-31 or \"end of Q3\".";

constexpr std::array<std::string_view, 12> kMonthNames{
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December"};

// ---- Words --------------------------------------------------------------------------

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }
bool is_digit(char c) { return c >= '0' && c <= '9'; }

template <std::size_t N>
bool contains(const std::array<std::string_view, N>& list, std::string_view w) {
  return std::find(list.begin(), list.end(), w) != list.end();
}

Words split_spaces(std::string_view s) {
  Words out;
  std::string cur;
  for (char c : s) {
    if (is_space(c)) {
      if (!cur.empty()) out.push_back(std::move(cur));
      cur.clear();
    } else {
      cur += c;
    }
  }
  if (!cur.empty()) out.push_back(std::move(cur));
  return out;
}

// Lower-case words of free text. Punctuation separates words, except the characters
// that belong inside one ("i'd", "10-minute", "80%"); bytes of other scripts are kept.
Words words_of(std::string_view text) {
  std::string t = bot::lower(text);
  // A typographic apostrophe, as phones type it, becomes a plain one.
  for (std::size_t at = t.find("\xE2\x80\x99"); at != std::string::npos; at = t.find("\xE2\x80\x99", at)) {
    t[at] = '\'';
    t.erase(at + 1, 2);
  }
  for (char& c : t) {
    const auto u = static_cast<unsigned char>(c);
    const bool keep = (c >= 'a' && c <= 'z') || is_digit(c) || c == '\'' || c == '-' || c == '%' || u >= 0x80;
    if (!keep) c = ' ';
  }
  return split_spaces(t);
}

// Whether the phrase ("get better at") starts at w[at].
bool phrase_at(const Words& w, std::size_t at, std::string_view phrase) {
  const Words p = split_spaces(phrase);
  if (at + p.size() > w.size()) return false;
  return std::equal(p.begin(), p.end(), w.begin() + static_cast<std::ptrdiff_t>(at));
}

std::size_t phrase_length(std::string_view phrase) { return split_spaces(phrase).size(); }

bool is_number(std::string_view w) {
  return std::any_of(w.begin(), w.end(), is_digit) || contains(kNumberWords, w);
}

bool is_outcome_at(const Words& w, std::size_t i) {
  if (contains(kOutcomeWords, w[i])) return true;
  if (!contains(kGiveVerbs, w[i])) return false;
  for (std::size_t k = i + 1; k < w.size() && k <= i + kGiveReach; ++k)
    if (contains(kGiveObjects, w[k])) return true;
  return false;
}

bool has_number_or_outcome(const Words& w, std::size_t from) {
  for (std::size_t i = from; i < w.size(); ++i)
    if (is_number(w[i]) || is_outcome_at(w, i)) return true;
  return false;
}

std::size_t skip_lead_ins(const Words& w) {
  std::size_t at = 0;
  for (bool moved = true; moved;) {
    moved = false;
    for (std::string_view lead : kLeadIns) {
      if (phrase_at(w, at, lead)) {
        at += phrase_length(lead);
        moved = true;
        break;
      }
    }
  }
  return at;
}

// ---- Dates --------------------------------------------------------------------------

using date::year_month_day;

std::optional<int> digits(std::string_view s, std::size_t min_len, std::size_t max_len) {
  if (s.size() < min_len || s.size() > max_len || !std::all_of(s.begin(), s.end(), is_digit)) return std::nullopt;
  int v = 0;
  const auto r = std::from_chars(s.data(), s.data() + s.size(), v);
  if (r.ec != std::errc{}) return std::nullopt;
  return v;
}

std::optional<int> year_word(std::string_view w) { return digits(w, 4, 4); }

// "31", "1st", "22nd", "3rd", "4th".
std::optional<int> day_word(std::string_view w) {
  for (std::string_view suffix : {"st", "nd", "rd", "th"}) {
    if (w.size() > suffix.size() && w.ends_with(suffix)) {
      w.remove_suffix(suffix.size());
      break;
    }
  }
  return digits(w, 1, 2);
}

// "march", "mar", "sept": a month name or a prefix of one of at least three letters.
std::optional<int> month_word(std::string_view w) {
  if (w.size() < 3) return std::nullopt;
  for (std::size_t i = 0; i < kMonthNames.size(); ++i)
    if (bot::lower(kMonthNames[i]).starts_with(w)) return static_cast<int>(i) + 1;
  return std::nullopt;
}

std::optional<int> quarter_word(std::string_view w) {
  if (w.size() != 2 || w[0] != 'q' || w[1] < '1' || w[1] > '4') return std::nullopt;
  return w[1] - '0';
}

// "3", "a", "an", "three" (in 3 months).
std::optional<int> count_word(std::string_view w) {
  constexpr std::array<std::string_view, 12> kCounts{"one", "two", "three", "four", "five", "six",
                                                     "seven", "eight", "nine", "ten", "eleven", "twelve"};
  if (w == "a" || w == "an") return 1;
  for (std::size_t i = 0; i < kCounts.size(); ++i)
    if (w == kCounts[i]) return static_cast<int>(i) + 1;
  return digits(w, 1, 6);
}

year_month_day last_day(date::year y, date::month m) { return year_month_day{y / m / date::last}; }

// Months later, on the same day of the month, or the month's last day when it is shorter.
year_month_day add_months(year_month_day d, int n) {
  const year_month_day r = d + date::months{n};
  return r.ok() ? r : last_day(r.year(), r.month());
}

year_month_day add_days(year_month_day d, int n) { return year_month_day{date::sys_days{d} + date::days{n}}; }

std::string two_digits(unsigned v) {
  std::string s = std::to_string(v);
  if (s.size() < 2) s.insert(s.begin(), '0');
  return s;
}

DateResult found(year_month_day d) { return {d, {}}; }
DateResult refused(std::string why) { return {std::nullopt, std::move(why)}; }
DateResult unrecognised() { return {}; }

// A calendar date from typed numbers, or why it is not one (2027-02-30, month 13).
DateResult checked_date(int y, int m, int d) {
  if (m < 1 || m > 12) return refused("There is no month " + std::to_string(m) + ". Try 2027-03-31 or \"end of Q3\".");
  const date::year yy{y};
  const date::month mm{static_cast<unsigned>(m)};
  const year_month_day ymd{yy / mm / date::day{static_cast<unsigned>(d)}};
  if (d >= 1 && ymd.ok()) return found(ymd);
  const unsigned month_days = static_cast<unsigned>(last_day(yy, mm).day());
  return refused(std::to_string(y) + "-" + two_digits(static_cast<unsigned>(m)) + "-" +
                 two_digits(static_cast<unsigned>(d)) + " isn't a real date: " +
                 std::string{kMonthNames[static_cast<std::size_t>(m - 1)]} + " " + std::to_string(y) + " has " +
                 std::to_string(month_days) + " days.");
}

// The first end of month `m` on or after today; a year given explicitly is taken as is.
year_month_day end_of_month(int m, std::optional<int> year, year_month_day today) {
  const date::month mm{static_cast<unsigned>(m)};
  if (year) return last_day(date::year{*year}, mm);
  const year_month_day this_year = last_day(today.year(), mm);
  return this_year >= today ? this_year : last_day(today.year() + date::years{1}, mm);
}

// A day and month without a year: the first such day on or after today.
DateResult day_of_month(int m, int d, std::optional<int> year, year_month_day today) {
  if (year) return checked_date(*year, m, d);
  const int y = static_cast<int>(today.year());
  DateResult r = checked_date(y, m, d);
  if (r.date && *r.date >= today) return r;
  return checked_date(y + 1, m, d);
}

// "2027-03-31", "31.03.2027".
DateResult numeric_date(std::string_view w) {
  const bool iso = w.find('-') != std::string_view::npos;
  const char sep = iso ? '-' : '.';
  std::vector<std::string_view> parts;
  for (std::size_t start = 0;;) {
    const std::size_t end = w.find(sep, start);
    parts.push_back(w.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start));
    if (end == std::string_view::npos) break;
    start = end + 1;
  }
  if (parts.size() != 3) return unrecognised();
  const auto y = year_word(iso ? parts[0] : parts[2]);
  const auto m = digits(parts[1], 1, 2);
  const auto d = digits(iso ? parts[2] : parts[0], 1, 2);
  if (!y || !m || !d) return unrecognised();
  return checked_date(*y, *m, *d);
}

// Whether w[i..] is empty or a single year ("q3" / "q3 2027"); the year goes to *year.
bool optional_year_from(const Words& w, std::size_t i, std::optional<int>& year) {
  if (w.size() == i) return true;
  year = w.size() == i + 1 ? year_word(w[i]) : std::nullopt;
  return year.has_value();
}

// Words after "end of", or standing alone with an implied end: "year", "next month",
// "q3 2027", "march".
DateResult period_end(const Words& w, year_month_day today) {
  if (w.size() == 1 && (w[0] == "year" || w[0] == "eoy")) return found(last_day(today.year(), date::December));
  if (w.size() == 1 && w[0] == "month") return found(last_day(today.year(), today.month()));
  if (w.size() == 2 && w[0] == "next" && w[1] == "month") {
    const auto next = date::year_month{today.year(), today.month()} + date::months{1};
    return found(last_day(next.year(), next.month()));
  }
  if (w.size() == 2 && w[0] == "next" && w[1] == "year")
    return found(last_day(today.year() + date::years{1}, date::December));
  if (w.empty()) return unrecognised();
  std::optional<int> year;
  if (const auto q = quarter_word(w[0]); q && optional_year_from(w, 1, year))
    return found(end_of_month(*q * 3, year, today));  // a quarter ends with its third month
  if (const auto m = month_word(w[0]); m && optional_year_from(w, 1, year))
    return found(end_of_month(*m, year, today));
  return unrecognised();
}

// "in 3 months", "in six weeks", "in 10 days", "in a year".
DateResult in_duration(const Words& w, year_month_day today) {
  if (w.size() != 3 || w[0] != "in") return unrecognised();
  const auto n = count_word(w[1]);
  if (!n) return unrecognised();
  // Far beyond any limit: refused without doing calendar arithmetic on huge numbers.
  if (*n > 10000) return found(add_months(today, kMaxMonthsAhead + 1));
  const std::string_view unit = w[2];
  if (unit == "day" || unit == "days") return found(add_days(today, *n));
  if (unit == "week" || unit == "weeks") return found(add_days(today, *n * 7));
  if (unit == "month" || unit == "months") return found(add_months(today, *n));
  if (unit == "year" || unit == "years") return found(add_months(today, *n * 12));
  return unrecognised();
}

// "march 31 2027", "31st march 2027", "march 31".
DateResult written_date(const Words& w, year_month_day today) {
  if (w.size() != 2 && w.size() != 3) return unrecognised();
  std::optional<int> year;
  if (w.size() == 3) {
    year = year_word(w[2]);
    if (!year) return unrecognised();
  }
  if (const auto m = month_word(w[0]); m && day_word(w[1])) return day_of_month(*m, *day_word(w[1]), year, today);
  if (const auto m = month_word(w[1]); m && day_word(w[0])) return day_of_month(*m, *day_word(w[0]), year, today);
  return unrecognised();
}

// Lower-case words of a typed date, without the filler that changes nothing: "By the
// end of this year." -> {"end", "of", "year"}.
Words date_words(std::string_view typed) {
  std::string t = bot::lower(bot::trim(typed));
  while (!t.empty() && (t.back() == '.' || t.back() == '!')) t.pop_back();
  std::replace(t.begin(), t.end(), ',', ' ');
  Words w = split_spaces(t);
  std::erase_if(w, [](const std::string& x) { return x == "the" || x == "this"; });
  if (!w.empty() && w[0] == "by") w.erase(w.begin());
  return w;
}

DateResult read_date(const Words& w, year_month_day today) {
  if (w.empty()) return unrecognised();
  if (w.size() == 1 && (w[0].find('-') != std::string::npos || w[0].find('.') != std::string::npos))
    return numeric_date(w[0]);
  if (w.size() >= 2 && w[0] == "end" && w[1] == "of") return period_end(Words(w.begin() + 2, w.end()), today);
  if (w.size() == 2 && w[0] == "year" && w[1] == "end") return period_end({"year"}, today);
  if (w[0] == "in") return in_duration(w, today);
  if (DateResult r = period_end(w, today); r.date || !r.problem.empty()) return r;
  return written_date(w, today);
}

}  // namespace

// ---- Public API ---------------------------------------------------------------------

Review review_statement(std::string_view statement) {
  const Words w = words_of(statement);
  const std::size_t start = skip_lead_ins(w);
  for (std::string_view vague : kVagueVerbs) {
    if (!phrase_at(w, start, vague)) continue;
    const auto after = static_cast<std::ptrdiff_t>(start + phrase_length(vague));
    const auto link = std::find_if(w.begin() + after, w.end(), [](const std::string& x) { return contains(kLinkWords, x); });
    if (link != w.end() && has_number_or_outcome(w, static_cast<std::size_t>(link - w.begin()) + 1)) break;
    std::string quoted{vague};
    quoted[0] = static_cast<char>(quoted[0] - 'a' + 'A');
    return {Gap::vague_verb, "\"" + quoted + "\" is hard to see from the outside. " + std::string{kOutcomeQuestion}};
  }
  if (w.size() < kMinStatementWords)
    return {Gap::too_short, std::string{"Could you say a bit more? "}.append(kOutcomeQuestion)};
  return {};
}

Review review_measure(std::string_view measure) {
  const Words w = words_of(measure);
  if (has_number_or_outcome(w, 0)) return {};
  return {Gap::no_measure, std::string{kMeasureQuestion}};
}

DateResult parse_target_date(std::string_view typed, year_month_day today) {
  DateResult r = read_date(date_words(typed), today);
  if (!r.date) return refused(r.problem.empty() ? std::string{kUnreadableDate} : std::move(r.problem));
  if (*r.date < today) return refused("That date is in the past. Pick a day after today (" + format_date(today) + ").");
  if (*r.date == today) return refused("That date is today. Pick a later day, so there is time to work towards it.");
  const year_month_day limit = add_months(today, kMaxMonthsAhead);
  if (*r.date > limit) {
    return refused("That is more than 18 months away. Please pick a date within 18 months (by " +
                   format_date(limit) + "); a big goal can have a nearer milestone.");
  }
  return r;
}

std::optional<std::vector<std::string>> normalise_skill_tags(std::string_view typed, std::string* problem) {
  const auto fail = [&](std::string why) -> std::optional<std::vector<std::string>> {
    if (problem) *problem = std::move(why);
    return std::nullopt;
  };
  std::vector<std::string> tags;
  std::string cur;
  const auto close_tag = [&] {
    // Words were joined with one space each, so only a trailing one can remain.
    if (!cur.empty() && cur.back() == ' ') cur.pop_back();
    if (!cur.empty() && std::find(tags.begin(), tags.end(), cur) == tags.end()) tags.push_back(cur);
    cur.clear();
  };
  for (char c : bot::lower(typed)) {
    if (c == ',' || c == ';') close_tag();
    else if (is_space(c)) {
      if (!cur.empty() && cur.back() != ' ') cur += ' ';
    } else {
      cur += c;
    }
  }
  close_tag();
  for (const auto& tag : tags) {
    // Characters, not bytes, so the limit means the same in every language.
    const auto chars = static_cast<std::size_t>(
        std::count_if(tag.begin(), tag.end(), [](char ch) { return (static_cast<unsigned char>(ch) & 0xC0u) != 0x80u; }));
    if (chars > kMaxTagChars) {
      const std::string shown = bot::is_valid_utf8(tag) ? " (\"" + bot::truncate_utf8(tag, 30) + "...\")" : "";
      return fail("Each skill can be at most 40 characters; one" + shown + " has " + std::to_string(chars) +
                  ". Please shorten it.");
    }
  }
  if (tags.size() > kMaxTags)
    return fail("That's " + std::to_string(tags.size()) + " skills; please pick at most 10 that matter most.");
  return tags;
}

std::string format_date(year_month_day d) {
  std::string y = std::to_string(static_cast<int>(d.year()));
  if (y.size() < 4) y.insert(0, 4 - y.size(), '0');
  return y + "-" + two_digits(static_cast<unsigned>(d.month())) + "-" + two_digits(static_cast<unsigned>(d.day()));
}

}  // namespace dialogs::smart
