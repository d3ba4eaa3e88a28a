#include "bot/portfolio.hpp"

#include <algorithm>
#include <sstream>
#include <string_view>

#include "bot/local_time.hpp"
#include "bot/text.hpp"

namespace bot {

namespace {

// Newest first, for the Markdown lists; ties keep the stored order reversed so that a
// later revision comes before an earlier one of the same instant.
template <class T>
std::vector<const T*> newest_first(const std::vector<T>& items) {
  std::vector<const T*> out;
  out.reserve(items.size());
  for (auto it = items.rbegin(); it != items.rend(); ++it) out.push_back(&*it);
  std::stable_sort(out.begin(), out.end(), [](const T* a, const T* b) { return a->created_at > b->created_at; });
  return out;
}

// ---- Markdown text ----------------------------------------------------------------

bool blank(std::string_view s) { return trim(s).empty(); }

// A later line of someone's text must not turn into a heading, quote or list of its
// own. (First lines follow a label, where these characters are harmless.)
std::string escape_line_start(std::string_view line) {
  std::string out;
  std::size_t i = 0;
  while (i < line.size() && line[i] == ' ') ++i;
  out.append(line.substr(0, i));
  if (i < line.size()) {
    const char c = line[i];
    if (c == '#' || c == '>' || c == '-' || c == '+' || c == '*' || c == '=' || c == '|') {
      out += '\\';
    } else if (c >= '0' && c <= '9') {
      std::size_t j = i;
      while (j < line.size() && line[j] >= '0' && line[j] <= '9') ++j;
      if (j < line.size() && (line[j] == '.' || line[j] == ')')) {
        out.append(line.substr(i, j - i));
        out += '\\';
        i = j;
      }
    }
  }
  out.append(line.substr(i));
  return out;
}

// Someone's text on one line (headings, short fields).
std::string one_line(std::string_view s) {
  std::string out;
  bool space = false;
  for (char c : trim(s)) {
    if (c == '\n' || c == '\r' || c == '\t') {
      space = true;
      continue;
    }
    if (space) out += ' ';
    space = false;
    out += c;
  }
  return out;
}

// Someone's text as the value of a list item: later lines are indented so that they
// stay inside the item.
std::string block(std::string_view s, std::string_view indent) {
  std::string out;
  std::string_view rest = trim(s);
  bool first = true;
  while (!rest.empty() || first) {
    const auto nl = rest.find('\n');
    std::string_view line = rest.substr(0, nl);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (!first) {
      out += '\n';
      if (!blank(line)) out.append(indent);
    }
    out += first ? std::string{trim(line)} : escape_line_start(line);
    first = false;
    if (nl == std::string_view::npos) break;
    rest = rest.substr(nl + 1);
  }
  return out;
}

// "current_role" -> "current role".
std::string label(std::string_view stored) {
  std::string out{stored};
  std::replace(out.begin(), out.end(), '_', ' ');
  return out;
}

std::string capitalised(std::string s) {
  if (!s.empty() && s[0] >= 'a' && s[0] <= 'z') s[0] = static_cast<char>(s[0] - 'a' + 'A');
  return s;
}

std::string duration(int minutes) {
  if (minutes < 60) return std::to_string(minutes) + " min";
  const int h = minutes / 60;
  const int m = minutes % 60;
  return std::to_string(h) + " h" + (m ? " " + std::to_string(m) + " min" : "");
}

// Plans store an exclusive end; people read "to 2026-12-31" as including that day.
std::string period(const PortfolioPlan& p) {
  if (!parse_iso_date(p.period_start) || !parse_iso_date(p.period_end))
    return one_line(p.period_start) + " until " + one_line(p.period_end);
  return p.period_start + " – " + last_day_before(p.period_end);
}

class Markdown {
 public:
  explicit Markdown(const Portfolio& p) : p_(p) {}

  std::string render() {
    header();
    plans();
    checkins();
    reflections();
    evidence();
    achievements();
    return out_.str();
  }

 private:
  void header() {
    const std::string name = one_line(p_.person.display_name);
    out_ << "# Learning portfolio" << (name.empty() ? "" : " — " + name) << "\n\n";
    if (p_.person.email && !blank(*p_.person.email)) out_ << "- Email: " << one_line(*p_.person.email) << '\n';
    if (!blank(p_.person.time_zone)) out_ << "- Time zone: " << one_line(p_.person.time_zone) << '\n';
    if (p_.person.manager_name && !blank(*p_.person.manager_name))
      out_ << "- Manager: " << one_line(*p_.person.manager_name) << '\n';
    if (p_.person.team && !blank(*p_.person.team)) out_ << "- Team: " << one_line(*p_.person.team) << '\n';
    out_ << "- Weekly check-in: " << weekday_name(p_.person.checkin_weekday) << " at "
         << format_time_of_day(p_.person.checkin_minute) << " (local time)\n";
    if (p_.person.paused_until) out_ << "- Check-ins paused until: " << one_line(*p_.person.paused_until) << '\n';
    if (p_.person.weekly_budget_minutes)
      out_ << "- Weekly learning-time budget: " << format_hours(*p_.person.weekly_budget_minutes) << '\n';
    const auto& v = p_.person.visibility;
    out_ << "- Who sees new items by default: check-ins " << to_string(v.checkins) << ", reflections "
         << to_string(v.reflections) << ", evidence " << to_string(v.evidence) << ", achievements "
         << to_string(v.achievements) << '\n';
    out_ << "- Exported: " << format_utc(p_.exported_at) << "\n";
  }

  void plans() {
    if (p_.plans.empty()) out_ << "\n## Plans\n\nNo learning plan yet.\n";
    for (const auto& plan : p_.plans) {
      out_ << "\n## Plan " << period(plan) << " (" << label(to_string(plan.status)) << ")\n\n";
      field("Aspiration (short term)", plan.aspiration_short);
      field("Aspiration (long term)", plan.aspiration_long);
      field("Objective it supports", plan.objective);
      if (plan.submitted_at) out_ << "- Submitted: " << format_utc(*plan.submitted_at) << '\n';
      if (plan.decided_at) out_ << "- Decided: " << format_utc(*plan.decided_at) << '\n';
      out_ << "- Created: " << format_utc(plan.created_at) << '\n';
      reviews_of(plan.id);
      bool any = false;
      for (const auto& g : p_.goals) {
        if (g.plan != plan.id) continue;
        goal(g);
        any = true;
      }
      if (!any) out_ << "\nNo goals in this plan yet.\n";
    }
    bool heading = false;
    for (const auto& g : p_.goals) {
      if (g.plan && known_plan(*g.plan)) continue;
      if (!heading) out_ << "\n## Goals outside a plan\n";
      heading = true;
      goal(g);
    }
    heading = false;
    for (const auto& r : p_.reviews) {
      if (known_plan(r.plan)) continue;
      if (!heading) out_ << "\n## Other reviews\n\n";
      heading = true;
      review(r);
    }
  }

  bool known_plan(PlanId id) const {
    return std::any_of(p_.plans.begin(), p_.plans.end(), [&](const PortfolioPlan& pl) { return pl.id == id; });
  }

  void reviews_of(PlanId plan) {
    bool heading = false;
    for (const auto& r : p_.reviews) {
      if (r.plan != plan) continue;
      if (!heading) out_ << "\nReviews:\n\n";
      heading = true;
      review(r);
    }
  }

  void review(const PortfolioReview& r) {
    out_ << "- " << format_utc(r.created_at) << ", " << label(r.kind) << " by "
         << (r.reviewer_name && !blank(*r.reviewer_name) ? one_line(*r.reviewer_name) : "a former colleague");
    if (r.decision) out_ << ": " << label(to_string(*r.decision));
    out_ << '\n';
    if (!blank(r.comment)) out_ << "  - Comment: " << block(r.comment, "    ") << '\n';
  }

  void goal(const PortfolioGoal& g) {
    out_ << "\n### Goal: " << one_line(g.statement) << "\n\n";
    out_ << progress_bar(g.progress) << " · " << label(to_string(g.status)) << " · " << label(to_string(g.kind));
    if (g.target_date) out_ << " · target date " << one_line(*g.target_date);
    out_ << "\n\n";
    field("Measure", g.measure);
    field("Target", g.target);
    field("Support needed", g.support);
    field("Why it matters", g.relevance);
    if (!g.skill_tags.empty()) {
      std::string tags;
      for (const auto& t : g.skill_tags) tags += (tags.empty() ? "" : ", ") + one_line(t);
      out_ << "- Skills: " << tags << '\n';
    }
    if (g.achieved_at) out_ << "- Achieved: " << format_utc(*g.achieved_at) << '\n';
    if (g.activities.empty()) {
      out_ << "- Activities: none planned\n";
      return;
    }
    out_ << "- Activities:\n";
    for (const auto& a : g.activities) {
      out_ << "  - " << capitalised(label(to_string(a.kind))) << ": ";
      const std::string title = one_line(a.title);
      const std::string resource = one_line(a.resource);
      out_ << (title.empty() ? resource : title);
      if (!resource.empty() && resource != title && !title.empty()) out_ << " (" << resource << ')';
      out_ << " — ";
      if (a.planned_minutes) out_ << duration(*a.planned_minutes) << ", ";
      out_ << label(a.status) << '\n';
    }
  }

  void checkins() {
    out_ << "\n## Check-ins\n\n";
    if (p_.checkins.empty()) {
      out_ << "No check-ins yet.\n";
      return;
    }
    for (const PortfolioCheckIn* c : newest_first(p_.checkins)) {
      out_ << "- **" << one_line(c->iso_week) << "**, " << format_utc(c->created_at);
      if (c->revision > 1) out_ << " (revision " << c->revision << ')';
      out_ << '\n';
      if (c->overall_progress) out_ << "  - Overall: " << progress_bar(*c->overall_progress) << '\n';
      for (const auto& g : c->goals)
        out_ << "  - " << (blank(g.goal_statement) ? "Goal " + std::to_string(g.goal.value) : one_line(g.goal_statement))
             << ": " << progress_bar(g.progress) << '\n';
      if (c->minutes_spent) out_ << "  - Time spent: " << duration(*c->minutes_spent) << '\n';
      sub_field("Learned", c->learned);
      sub_field("Blockers", c->blockers);
      if (c->need_help) out_ << "  - Asked for help\n";
      if (c->confidence) out_ << "  - Confidence: " << *c->confidence << "/5\n";
      sub_field("Next step", c->next_step);
    }
  }

  void reflections() {
    out_ << "\n## Reflections\n\n";
    if (p_.reflections.empty()) {
      out_ << "No reflections yet.\n";
      return;
    }
    for (const PortfolioReflection* r : newest_first(p_.reflections)) {
      out_ << "- " << format_utc(r->created_at);
      if (r->iso_week) out_ << ", week " << one_line(*r->iso_week);
      out_ << " (" << label(r->visibility) << ")\n";
      sub_field("Learned", r->learned);
      sub_field("Will apply", r->apply);
      sub_field("Would do differently", r->differently);
      // Stored as the answer's value; the reader sees the words the person picked.
      if (r->applied)
        sub_field("Applied it", *r->applied == "yes"      ? std::string{"Yes"}
                                : *r->applied == "partly" ? std::string{"Partly"}
                                : *r->applied == "no"     ? std::string{"Not yet"}
                                                          : *r->applied);
      sub_field("Follow-up note", r->follow_up_note);
      if (r->followed_up_at) out_ << "  - Follow-up asked: " << format_utc(*r->followed_up_at) << '\n';
      else if (r->follow_up_due_at) out_ << "  - Follow-up due: " << format_utc(*r->follow_up_due_at) << '\n';
    }
  }

  void evidence() {
    out_ << "\n## Evidence\n\n";
    if (p_.evidence.empty()) {
      out_ << "No evidence recorded yet.\n";
      return;
    }
    for (const PortfolioEvidence* e : newest_first(p_.evidence)) {
      out_ << "- " << format_utc(e->created_at) << " (" << label(e->visibility) << "): " << block(e->content, "  ")
           << '\n';
      if (e->url && !blank(*e->url)) out_ << "  - Link: " << one_line(*e->url) << '\n';
      if (e->goal_statement && !blank(*e->goal_statement)) out_ << "  - Goal: " << one_line(*e->goal_statement) << '\n';
    }
  }

  void achievements() {
    out_ << "\n## Achievements\n\n";
    if (p_.achievements.empty()) {
      out_ << "No achievements yet.\n";
      return;
    }
    for (const PortfolioAchievement* a : newest_first(p_.achievements)) {
      out_ << "- " << format_utc(a->created_at) << ": " << block(a->text, "  ") << '\n';
      if (a->goal_statement && !blank(*a->goal_statement)) out_ << "  - Goal: " << one_line(*a->goal_statement) << '\n';
      if (a->shared) {
        out_ << "  - Shared";
        if (a->channel && !blank(*a->channel)) out_ << " in " << one_line(*a->channel);
        if (a->shared_at) out_ << " on " << format_utc(*a->shared_at);
        out_ << '\n';
      } else {
        out_ << "  - Not shared\n";
      }
      if (!a->kudos_from.empty()) {
        std::string names;
        for (const auto& n : a->kudos_from) names += (names.empty() ? "" : ", ") + one_line(n);
        out_ << "  - Kudos from " << names << '\n';
      }
    }
  }

  void field(std::string_view name, const std::string& value) {
    if (!blank(value)) out_ << "- " << name << ": " << block(value, "  ") << '\n';
  }

  void sub_field(std::string_view name, const std::string& value) {
    if (!blank(value)) out_ << "  - " << name << ": " << block(value, "    ") << '\n';
  }

  const Portfolio& p_;
  std::ostringstream out_;
};

}  // namespace

std::string to_markdown(const Portfolio& portfolio) { return Markdown{portfolio}.render(); }

}  // namespace bot
