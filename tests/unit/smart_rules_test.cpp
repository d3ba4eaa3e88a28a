// SMART-goal rules: specific statements, measurable measures, target dates, skill tags.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "dialogs/smart_rules.hpp"

namespace smart = dialogs::smart;
using Catch::Matchers::Contains;
using Catch::Matchers::StartsWith;

namespace {

date::year_month_day ymd(int y, unsigned m, unsigned d) { return date::year{y} / date::month{m} / date::day{d}; }

const date::year_month_day kToday = ymd(2026, 11, 23);  // a Monday

// The date read from `typed` as "YYYY-MM-DD", or "refused: <problem>".
std::string target(std::string_view typed, date::year_month_day today = kToday) {
  const auto r = smart::parse_target_date(typed, today);
  if (r.date) {
    CHECK(r.problem.empty());
    return smart::format_date(*r.date);
  }
  CHECK_FALSE(r.problem.empty());
  return "refused: " + r.problem;
}

}  // namespace

// ---- Specific -----------------------------------------------------------------------

TEST_CASE("A statement of fewer than four words is too short to be specific", "[smart]") {
  for (const char* s : {"Public speaking", "", "   ", "Kubernetes", "Pass AWS exam", "Public speaking!!!"}) {
    INFO(s);
    const auto r = smart::review_statement(s);
    CHECK(r.gap == smart::Gap::too_short);
    CHECK_THAT(r.question, Contains("What will you be able to do when you've got there?"));
  }
  CHECK(smart::review_statement("Give a talk").gap == smart::Gap::too_short);
  CHECK(smart::review_statement("Give a conference talk").gap == smart::Gap::none);
}

TEST_CASE("A statement whose only verb is vague is flagged, whatever its case and punctuation", "[smart]") {
  for (const char* s : {"Improve my Python", "Get better at SQL", "  get BETTER at sql.  ", "Learn about Kubernetes",
                        "Understand our billing system", "Know more about security", "Be better at estimating work",
                        "Work on my public speaking", "I want to improve my Python", "I'd like to learn about Rust!",
                        "I\xE2\x80\x99" "d like to get better at Go", "To really understand the type system",
                        "Improve", "Get better at leading meetings", "Improve my writing and public speaking"}) {
    INFO(s);
    const auto r = smart::review_statement(s);
    CHECK(r.gap == smart::Gap::vague_verb);
    CHECK_THAT(r.question, Contains("What will you be able to do when you've got there?"));
  }
  // The question names the vague phrase, so it is specific to what was typed.
  CHECK_THAT(smart::review_statement("get better at SQL").question, StartsWith("\"Get better at\" is hard to see"));
  CHECK_THAT(smart::review_statement("Improve my Python").question, StartsWith("\"Improve\""));
}

TEST_CASE("A vague verb followed by a concrete outcome or a number is specific", "[smart]") {
  for (const char* s : {"Get better at SQL to pass the DP-300 exam", "Improve my Python so I can ship a CLI tool",
                        "Improve page load time to under 2 seconds", "Work on public speaking and give a talk at the all-hands",
                        "Learn about Kubernetes by running a cluster for the team",
                        "Improve test coverage from 60% to 80%"}) {
    INFO(s);
    const auto r = smart::review_statement(s);
    CHECK(r.gap == smart::Gap::none);
    CHECK(r.question.empty());
  }
}

TEST_CASE("A statement with a concrete verb and four or more words is specific", "[smart]") {
  for (const char* s : {"Ship a Rust CLI used by my team", "  Give a 10-minute talk at the team meeting. ",
                        "Lead the Q3 incident review", "Write three blog posts about our platform",
                        "Learn Rust well enough to review PRs"}) {
    INFO(s);
    const auto r = smart::review_statement(s);
    CHECK(r.gap == smart::Gap::none);
    CHECK(r.question.empty());
  }
}

// ---- Measurable ---------------------------------------------------------------------

TEST_CASE("A measure with no number and no observable outcome is no measure", "[smart]") {
  for (const char* s : {"Feel more confident", "", "  ", "I will know it when I see it", "Be comfortable with SQL",
                        "Passion for the craft", "Feel confident one day", "Understand it much better!"}) {
    INFO(s);
    const auto r = smart::review_measure(s);
    CHECK(r.gap == smart::Gap::no_measure);
    CHECK_THAT(r.question, Contains("How will you know you've got there?"));
  }
}

TEST_CASE("A number or an observable outcome makes a measure", "[smart]") {
  for (const char* s : {"Pass the AWS SAA exam", "3 merged PRs", "PASSED the exam", "Shipped to production",
                        "Publish a blog post", "Present at the guild", "Complete the course", "Get certified",
                        "Deliver the migration", "Give a talk", "Gave a short internal talk", "Release v2",
                        "Lead the retro", "Run the on-call rotation", "Write the design doc", "Score above 85%",
                        "Two talks at meetups", "  reviews merged by the team.  "}) {
    INFO(s);
    const auto r = smart::review_measure(s);
    CHECK(r.gap == smart::Gap::none);
    CHECK(r.question.empty());
  }
}

// ---- Time-bound ---------------------------------------------------------------------

TEST_CASE("A target date typed as numbers is read in ISO and dotted form", "[smart]") {
  CHECK(target("2027-03-31") == "2027-03-31");
  CHECK(target("  2027-3-1  ") == "2027-03-01");
  CHECK(target("31.03.2027") == "2027-03-31");
  CHECK(target("1.4.2027.") == "2027-04-01");
  CHECK(target("by 2027-03-31") == "2027-03-31");
  CHECK(target("2027/03/31") == "refused: I couldn't read that date. Try 2027-03-31 or \"end of Q3\".");
  CHECK(target("27-03-31") == "refused: I couldn't read that date. Try 2027-03-31 or \"end of Q3\".");
  CHECK(target("2027-03-31-01") == "refused: I couldn't read that date. Try 2027-03-31 or \"end of Q3\".");
}

TEST_CASE("A target date typed with a month name is read in either order", "[smart]") {
  CHECK(target("March 31 2027") == "2027-03-31");
  CHECK(target("march 31, 2027") == "2027-03-31");
  CHECK(target("31 March 2027") == "2027-03-31");
  CHECK(target("31st MAR 2027") == "2027-03-31");
  CHECK(target("Sept 1st 2027") == "2027-09-01");
  // Without a year: the next such day after today.
  CHECK(target("December 24") == "2026-12-24");
  CHECK(target("1 March") == "2027-03-01");
  CHECK(target("Marz 31 2027") == "refused: I couldn't read that date. Try 2027-03-31 or \"end of Q3\".");
}

TEST_CASE("Relative target dates count from today", "[smart]") {
  CHECK(target("next month") == "2026-12-31");
  CHECK(target("End of next month.") == "2026-12-31");
  CHECK(target("end of month") == "2026-11-30");
  CHECK(target("in 3 months") == "2027-02-23");
  CHECK(target("In three months") == "2027-02-23");
  CHECK(target("in a month") == "2026-12-23");
  CHECK(target("in 6 weeks") == "2027-01-04");
  CHECK(target("in 10 days") == "2026-12-03");
  CHECK(target("in 1 day") == "2026-11-24");
  CHECK(target("in 1 year") == "2027-11-23");
  // A month later on a day the month does not have: its last day.
  CHECK(target("in 1 month", ymd(2027, 1, 31)) == "2027-02-28");
  CHECK(target("in 3 fortnights") == "refused: I couldn't read that date. Try 2027-03-31 or \"end of Q3\".");
  CHECK(target("in -3 days") == "refused: I couldn't read that date. Try 2027-03-31 or \"end of Q3\".");
}

TEST_CASE("A quarter means its last day, next year once this year's has passed", "[smart]") {
  CHECK(target("end of Q1") == "2027-03-31");
  CHECK(target("Q1") == "2027-03-31");
  CHECK(target("end of q4") == "2026-12-31");
  CHECK(target("By the end of Q3.") == "2027-09-30");
  CHECK(target("Q2", ymd(2026, 3, 1)) == "2026-06-30");
  CHECK(target("Q1", ymd(2026, 3, 1)) == "2026-03-31");
  CHECK(target("Q1 2027") == "2027-03-31");
  CHECK(target("end of Q5") == "refused: I couldn't read that date. Try 2027-03-31 or \"end of Q3\".");
  // On the quarter's last day it means today, which is refused rather than moved a year on.
  CHECK_THAT(target("end of Q3", ymd(2026, 9, 30)), Contains("today"));
}

TEST_CASE("End of a named month is its next last day that is not past", "[smart]") {
  CHECK(target("end of March") == "2027-03-31");
  CHECK(target("end of the November") == "2026-11-30");
  CHECK(target("End of December") == "2026-12-31");
  CHECK(target("end of October") == "2027-10-31");
  CHECK(target("end of February 2028") == "2028-02-29");
  CHECK(target("March 2027") == "2027-03-31");
}

TEST_CASE("Year words mean December 31 of this or next year", "[smart]") {
  CHECK(target("end of year") == "2026-12-31");
  CHECK(target("End of the year") == "2026-12-31");
  CHECK(target("end of this year!") == "2026-12-31");
  CHECK(target("next year") == "2027-12-31");
  // From early in a year, the end of next year is more than 18 months away.
  CHECK_THAT(target("next year", ymd(2026, 1, 10)), Contains("within 18 months"));
}

TEST_CASE("Relative dates roll over the year end", "[smart]") {
  const auto new_years_eve = ymd(2026, 12, 31);
  CHECK(target("next month", ymd(2026, 12, 15)) == "2027-01-31");
  CHECK(target("in 1 day", new_years_eve) == "2027-01-01");
  CHECK(target("next year", new_years_eve) == "2027-12-31");
  CHECK(target("end of Q4", ymd(2026, 12, 30)) == "2026-12-31");
  CHECK_THAT(target("end of year", new_years_eve), Contains("today"));
  CHECK(target("end of Q1", new_years_eve) == "2027-03-31");
}

TEST_CASE("A target date of today or earlier is refused", "[smart]") {
  CHECK_THAT(target("2026-11-23"), StartsWith("refused: That date is today."));
  CHECK_THAT(target("in 0 days"), StartsWith("refused: That date is today."));
  CHECK_THAT(target("2026-11-22"), StartsWith("refused: That date is in the past."));
  CHECK_THAT(target("1.1.2020"), StartsWith("refused: That date is in the past."));
  CHECK_THAT(target("end of March 2026"), StartsWith("refused: That date is in the past."));
  CHECK(target("2026-11-24") == "2026-11-24");
}

TEST_CASE("A target date more than 18 months ahead is refused", "[smart]") {
  CHECK(target("in 18 months") == "2028-05-23");
  CHECK(target("2028-05-23") == "2028-05-23");
  CHECK_THAT(target("2028-05-24"), Contains("within 18 months (by 2028-05-23)"));
  CHECK_THAT(target("in 19 months"), Contains("within 18 months"));
  CHECK_THAT(target("in 2 years"), Contains("within 18 months"));
  CHECK_THAT(target("in 999999 days"), Contains("within 18 months"));
  // 18 months from August 31 ends on the last day of February.
  CHECK(target("in 18 months", ymd(2026, 8, 31)) == "2028-02-29");
  CHECK_THAT(target("2028-03-01", ymd(2026, 8, 31)), Contains("within 18 months"));
}

TEST_CASE("An impossible calendar date is refused with the reason", "[smart]") {
  CHECK(target("2027-02-30") == "refused: 2027-02-30 isn't a real date: February 2027 has 28 days.");
  CHECK(target("29.02.2027") == "refused: 2027-02-29 isn't a real date: February 2027 has 28 days.");
  CHECK(target("2028-02-29") == "2028-02-29");
  CHECK_THAT(target("April 31 2027"), Contains("April 2027 has 30 days"));
  CHECK_THAT(target("2027-13-01"), Contains("There is no month 13"));
  CHECK_THAT(target("2027-00-10"), Contains("There is no month 0"));
  CHECK_THAT(target("2027-01-00"), Contains("isn't a real date"));
}

TEST_CASE("Unreadable text is refused with an example of what works", "[smart]") {
  for (const char* s : {"", "   ", "soon", "someday", "tomorrow-ish", "Q", "next week-end", "end of", "in months"}) {
    INFO(s);
    CHECK(target(s) == "refused: I couldn't read that date. Try 2027-03-31 or \"end of Q3\".");
  }
}

TEST_CASE("format_date writes ISO dates with zero padding", "[smart]") {
  CHECK(smart::format_date(ymd(2027, 3, 31)) == "2027-03-31");
  CHECK(smart::format_date(ymd(2027, 1, 5)) == "2027-01-05");
  CHECK(smart::format_date(ymd(987, 12, 1)) == "0987-12-01");
}

// ---- Skill tags ---------------------------------------------------------------------

TEST_CASE("Skill tags are split, trimmed, lower-cased, collapsed and deduplicated in order", "[smart]") {
  std::string problem;
  const auto tags = smart::normalise_skill_tags("  SQL, Public   Speaking;\tRust ,sql,, ;public speaking ,  ", &problem);
  REQUIRE(tags);
  CHECK(*tags == std::vector<std::string>{"sql", "public speaking", "rust"});
  CHECK(problem.empty());

  CHECK(*smart::normalise_skill_tags("", &problem) == std::vector<std::string>{});
  CHECK(*smart::normalise_skill_tags(" , ; ", &problem) == std::vector<std::string>{});
  CHECK(*smart::normalise_skill_tags("C++", nullptr) == std::vector<std::string>{"c++"});
  CHECK(*smart::normalise_skill_tags("Data\nEngineering", nullptr) == std::vector<std::string>{"data engineering"});
}

TEST_CASE("At most 10 skill tags of at most 40 characters are accepted", "[smart]") {
  std::string problem;
  CHECK(smart::normalise_skill_tags("a,b,c,d,e,f,g,h,i,j", &problem)->size() == 10);
  CHECK(smart::normalise_skill_tags("a,b,c,d,e,f,g,h,i,j,a,B", &problem)->size() == 10);  // duplicates do not count

  CHECK_FALSE(smart::normalise_skill_tags("a,b,c,d,e,f,g,h,i,j,k", &problem));
  CHECK_THAT(problem, Contains("11 skills"));

  const std::string forty(40, 'x');
  CHECK(smart::normalise_skill_tags("sql, " + forty, &problem)->at(1) == forty);
  // Characters, not bytes: 40 two-byte letters fit.
  std::string umlauts;
  for (int i = 0; i < 40; ++i) umlauts += "\xC3\xBC";
  CHECK(smart::normalise_skill_tags(umlauts, &problem)->at(0) == umlauts);

  problem.clear();
  CHECK_FALSE(smart::normalise_skill_tags("sql, " + forty + "y", &problem));
  CHECK_THAT(problem, Contains("at most 40 characters") && Contains("41"));
  // Inner whitespace is collapsed before the length is checked.
  CHECK(smart::normalise_skill_tags(std::string(20, 'a').append(6, ' ').append(19, 'b'), &problem));
  CHECK_FALSE(smart::normalise_skill_tags(std::string(41, 'z'), nullptr));  // no problem pointer is fine
}
