#include "dialogs/reflection_dialog.hpp"

#include "bot/text.hpp"

namespace dialogs {

using nlohmann::json;

namespace {

constexpr std::size_t kMaxAnswer = 2000;

Question text_question(std::string id, std::string prompt, std::string help, bool optional, std::string_view what) {
  return Question{std::move(id), std::move(prompt), std::move(help), optional, {},
                  [what](std::string_view t, const bot::Context&) { return short_text(t, kMaxAnswer, what); }};
}

std::string sharing_note(const bot::Context& c) {
  switch (c.person.prefs.visibility.reflections) {
    case bot::Visibility::owner: return "It stays private to you.";
    case bot::Visibility::manager: return "Your settings share reflections with your manager.";
    case bot::Visibility::team: return "Your settings share reflections with your team.";
  }
  return {};
}

}  // namespace

json ReflectionDialog::after_checkin(const std::string& learned) { return {{"after_checkin", true}, {"learned", learned}}; }

std::vector<Question> ReflectionDialog::questions(const json& data, const json& answers, const bot::Context&) const {
  std::vector<Question> qs;
  const bool offered = data.value("after_checkin", false);
  if (offered) {
    qs.push_back({"reflect",
                  "Would you like to reflect on this week? Two short questions: how you'll apply what you learned, "
                  "and what you'd do differently.",
                  "Reflecting helps learning stick. In two weeks I'll ask whether you applied it.", false,
                  {{"reflect", "Yes", "yes", bot::ButtonStyle::primary}, {"reflect", "Not now", "no", bot::ButtonStyle::normal}},
                  [](std::string_view t, const bot::Context&) { return yes_no(t); }});
    if (!answers.contains("reflect") || !answers.at("reflect").get<bool>()) return qs;
  } else {
    qs.push_back(text_question("learned", "What did you learn recently?",
                               "A skill you practised, something you read, feedback you got. A sentence or two.", false,
                               "what you learned"));
  }
  qs.push_back(text_question("apply", "How will you apply it in your work?",
                             "Something concrete: where or when you'll use it, with whom.", false, "how you'll apply it"));
  qs.push_back(text_question("differently", "What would you do differently next time? (Or *skip*.)",
                             "Looking back: what would make the learning easier or faster?", true,
                             "what you'd do differently"));
  return qs;
}

bot::Transition ReflectionDialog::finish(const json& data, const json& a, const bot::Context& c) const {
  const auto me = bot::Recipient::dm(c.person.id);
  if (a.contains("reflect") && !a.at("reflect").get<bool>()) {
    return bot::Transition{std::nullopt, {}, {bot::Message::text(me, "Fine. Type *reflect* whenever you like.")}};
  }
  bot::Reflection r;
  r.learned = a.contains("learned") ? a.at("learned").get<std::string>() : data.value("learned", "");
  r.apply = a.at("apply").get<std::string>();
  if (const auto& d = a.value("differently", json{}); d.is_string()) r.differently = d.get<std::string>();
  r.visibility = c.person.prefs.visibility.reflections;
  // Offered right after a check-in, which is this week's latest by now.
  if (data.value("after_checkin", false) && c.this_week) r.checkin = c.this_week->id;
  bot::Transition t{std::nullopt, {bot::RecordReflection{std::move(r)}}, {}};
  t.messages.push_back(bot::Message::text(
      me, "Saved your reflection. " + sharing_note(c) + " In two weeks I'll ask whether you applied it."));
  return t;
}

bool ReflectionDialog::started_unasked(const json& data) const { return data.value("after_checkin", false); }

std::string ReflectionDialog::cancelled_text() const { return "Okay, no reflection this time. Type *reflect* whenever you like."; }

bot::Transition FollowUpDialog::begin(const bot::Context& c) const {
  bot::Transition t = start(c);
  t.effects.push_back(bot::MarkFollowUpAsked{c.follow_up->id});
  return t;
}

json FollowUpDialog::initial_data(const bot::Context& c) const {
  return {{"reflection", c.follow_up->id.value}, {"learned", c.follow_up->learned}, {"apply", c.follow_up->apply}};
}

std::string FollowUpDialog::intro(const json& data, const bot::Context&) const {
  std::string text = "Two weeks ago you reflected on what you learned";
  if (const auto learned = data.value("learned", ""); !learned.empty()) text += ": \"" + learned + "\"";
  text += ".";
  if (const auto apply = data.value("apply", ""); !apply.empty()) text += "\nYou planned to apply it like this: \"" + apply + "\".";
  return text;
}

std::vector<Question> FollowUpDialog::questions(const json&, const json& answers, const bot::Context&) const {
  std::vector<Question> qs;
  qs.push_back({"applied", "Did you apply it?", "Yes, partly, or not yet: all are fine answers.", false,
                {{"applied", "Yes", "yes", bot::ButtonStyle::normal},
                 {"applied", "Partly", "partly", bot::ButtonStyle::normal},
                 {"applied", "Not yet", "no", bot::ButtonStyle::normal}},
                [](std::string_view text, const bot::Context&) {
                  const std::string t = bot::lower(bot::trim(text));
                  if (t == "partly" || t == "partially" || t == "a bit" || t == "somewhat") return Answer::accept("partly");
                  if (t == "not yet") return Answer::accept("no");
                  auto yn = yes_no(t);
                  if (!yn.ok()) return Answer::refuse("Please answer yes, partly or not yet.");
                  return Answer::accept(yn.value.get<bool>() ? "yes" : "no");
                }});
  if (!answers.contains("applied")) return qs;
  const std::string applied = answers.at("applied").get<std::string>();
  qs.push_back(text_question("note",
                             applied == "no" ? "What got in the way? (Or *skip*.)" : "What happened when you did? (Or *skip*.)",
                             "A sentence is plenty; it goes into your portfolio.", true, "what happened"));
  return qs;
}

bot::Transition FollowUpDialog::finish(const json& data, const json& a, const bot::Context& c) const {
  bot::RecordFollowUp f;
  f.reflection = bot::ReflectionId{data.at("reflection").get<std::int64_t>()};
  f.applied = a.at("applied").get<std::string>();
  if (const auto& n = a.value("note", json{}); n.is_string()) f.note = n.get<std::string>();
  const std::string text = f.applied == "no" ? "Thanks for being honest. Noted; maybe it fits in your next step."
                                             : "Great, noted in your portfolio.";
  return bot::Transition{std::nullopt, {std::move(f)}, {bot::Message::text(bot::Recipient::dm(c.person.id), text)}};
}

std::string FollowUpDialog::cancelled_text() const { return "Okay, I won't ask about it again."; }

}  // namespace dialogs
