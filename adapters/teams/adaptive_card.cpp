#include "adapters/teams/adaptive_card.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <map>
#include <optional>
#include <set>
#include <vector>

#include "adapters/teams/activity.hpp"
#include "adapters/teams/teams_markdown.hpp"
#include "bot/text.hpp"

namespace adapters::teams {

namespace {

using nlohmann::json;

constexpr const char* kCardContentType = "application/vnd.microsoft.card.adaptive";
// The cards use nothing newer than 1.3 (Action.Submit, input validation): declaring
// 1.4 rather than 1.5 keeps older Teams clients from showing only the fallback text.
constexpr const char* kCardVersion = "1.4";
constexpr const char* kCardSchema = "http://adaptivecards.io/schemas/adaptive-card.json";

// Teams' host config shows at most 6 actions in one row (maxActions); more would be
// cut off or hidden in an overflow menu that older clients lack.
constexpr std::size_t kActionsPerSet = 6;
// Our own limits, far inside what Teams renders legibly. Teams documents no per-field
// limits; only the whole activity is capped (kMaxActivityBytes).
constexpr std::size_t kLabel = 200;         // input labels, form title
constexpr std::size_t kButtonTitle = 100;
constexpr std::size_t kButtonValue = 2000;  // as Slack: values that long are never ours
constexpr std::size_t kHint = 300;
constexpr std::size_t kChoices = 100;
constexpr std::size_t kChoiceTitle = 150;
constexpr std::size_t kChoiceValue = 500;
constexpr std::size_t kInitialText = 4000;
constexpr std::size_t kErrorText = 300;
constexpr std::size_t kSummary = 200;       // the notification / preview line
constexpr std::size_t kFallbackText = 500;  // shown only by clients that cannot render the card
constexpr std::size_t kNote = 500;          // answered_activity's note
// A cut piece shorter than this would be noise, not content.
constexpr std::size_t kMinUsefulPiece = 200;
// What one TextBlock costs besides its text: {"type":"TextBlock","text":"","wrap":true},
constexpr std::size_t kTextBlockOverhead = 48;
constexpr std::size_t kParagraphSeparator = 4;  // "\n\n", escaped in the JSON

constexpr std::string_view kEllipsis = "…";

using bot::format_number;
using bot::is_iso_date;
using bot::parse_number;
using bot::sanitize_utf8;

// Bytes a character takes inside a JSON string as nlohmann's dump() writes it (UTF-8
// kept as is, only quotes, backslashes and control characters escaped). Sizes are
// counted this way so that a cut text makes the activity fit on the first try.
std::size_t escaped_size(char ch) {
  const auto c = static_cast<unsigned char>(ch);
  if (c == '"' || c == '\\' || c == '\b' || c == '\f' || c == '\n' || c == '\r' || c == '\t') return 2;
  return c < 0x20 ? 6 : 1;
}

std::size_t escaped_size(std::string_view s) {
  std::size_t n = 0;
  for (char ch : s) n += escaped_size(ch);
  return n;
}

// The longest head of s whose escaped size is at most budget, ending on a character
// boundary, preferably at a paragraph, line or word break, never inside an entity.
std::string cut_piece(std::string_view s, std::size_t budget) {
  std::size_t end = 0, used = 0;
  while (end < s.size() && used + escaped_size(s[end]) <= budget) used += escaped_size(s[end++]);
  if (end == s.size()) return std::string{s};
  while (end > 0 && (static_cast<unsigned char>(s[end]) & 0xC0u) == 0x80u) --end;
  for (std::string_view sep : {std::string_view{"\n\n"}, std::string_view{"\n"}, std::string_view{" "}}) {
    const auto p = s.substr(0, end).rfind(sep);
    if (p != std::string_view::npos && p >= end / 2) {
      end = p;
      break;
    }
  }
  const std::string_view head = s.substr(0, end);
  if (const auto amp = head.rfind('&'); amp != std::string_view::npos && head.find(';', amp) == std::string_view::npos &&
                                        end - amp < 8)
    end = amp;
  return std::string{bot::trim_right(s.substr(0, end))};
}

// Labels, titles, choice texts: one line, never empty, never over max bytes.
std::string plain(std::string_view text, std::size_t max, std::string_view fallback) {
  std::string t{bot::trim(sanitize_utf8(text))};
  std::replace(t.begin(), t.end(), '\n', ' ');
  std::replace(t.begin(), t.end(), '\r', ' ');
  if (t.empty()) t = std::string{fallback};
  if (t.size() <= max) return t;
  return bot::truncate_utf8(t, max - kEllipsis.size()) + std::string{kEllipsis};
}

// Plain words for the notification preview and fallbackText: no markers, one line.
std::string preview(std::string_view text, std::size_t max) {
  std::string out;
  for (char ch : sanitize_utf8(text))
    if (ch != '*' && ch != '`') out += ch;
  return plain(out, max, "");
}

// ---------------------------------------------------------------------------------------
// What a message says, in order, and how much of it fits

struct Content {
  std::vector<std::string> pieces;  // Teams Markdown
  std::size_t attachment_from = 0;  // index of the first attachment piece
};

Content content_of(const bot::Message& m, bool escape_html) {
  Content c;
  for (const auto& s : m.sections)
    if (auto t = to_teams_markdown(s.text, MarkdownSource::ours, escape_html); !bot::is_blank(t)) c.pieces.push_back(std::move(t));
  c.attachment_from = c.pieces.size();
  if (m.attachment && !bot::is_blank(m.attachment->content)) {
    std::string name;
    append_text(name, plain(m.attachment->filename, kLabel, "attachment"), escape_html);
    c.pieces.push_back("**" + name + "**");
    // The export is ordinary Markdown already (**bold**, *italic*): not our markup.
    if (auto t = to_teams_markdown(m.attachment->content, MarkdownSource::markdown_file, escape_html); !bot::is_blank(t))
      c.pieces.push_back(std::move(t));
  }
  return c;
}

struct Fitted {
  std::vector<std::string> kept;
  bool shortened = false;
  bool attachment_cut = false;
};

// The pieces, in order, within `budget` escaped bytes (each costing `overhead` more);
// the first that does not fit is cut, and nothing after it is kept.
Fitted fit(const Content& c, std::size_t budget, std::size_t overhead) {
  Fitted f;
  for (std::size_t i = 0; i < c.pieces.size(); ++i) {
    const std::size_t cost = escaped_size(c.pieces[i]) + overhead;
    if (cost <= budget) {
      f.kept.push_back(c.pieces[i]);
      budget -= cost;
      continue;
    }
    f.shortened = true;
    f.attachment_cut = i >= c.attachment_from;
    if (budget >= overhead + kMinUsefulPiece)
      if (auto head = cut_piece(c.pieces[i], budget - overhead); !bot::is_blank(head)) f.kept.push_back(std::move(head));
    break;
  }
  return f;
}

std::string shortened_note(const bot::Message& m, const Fitted& f, bool escape_html) {
  if (!f.attachment_cut) return "_(Message shortened to fit in Teams.)_";
  std::string name;
  append_text(name, plain(m.attachment->filename, kLabel, "The attachment"), escape_html);
  // Teams bots cannot attach a file to a chat without OneDrive consent flows, so the
  // rest of the file is where it is stored: with whoever runs the bot.
  return "_(" + name +
         " is longer than a Teams message can show: this is the beginning. Whoever runs Coachbot can give you the "
         "whole file (`coachbot export`).)_";
}

// ---------------------------------------------------------------------------------------
// Card elements

json text_block(std::string text) { return {{"type", "TextBlock"}, {"text", std::move(text)}, {"wrap", true}}; }

json number_value(double v) {
  if (std::trunc(v) == v && std::fabs(v) < 1e15) return static_cast<long long>(v);
  return v;
}

// The value the dialogs accept for a toggle (what the console and Slack send too).
std::string toggle_value(const std::optional<std::string>& initial) {
  if (!initial) return "false";
  const std::string v = bot::lower(bot::trim(*initial));
  return (v == "true" || v == "yes" || v == "y" || v == "on" || v == "1") ? "true" : "false";
}

json text_input(const bot::Field& f, json input) {
  input["type"] = "Input.Text";
  std::size_t max = kInitialText;
  if (f.max_length && *f.max_length > 0) {
    max = std::min(max, static_cast<std::size_t>(*f.max_length));
    input["maxLength"] = *f.max_length;
  }
  if (f.kind == bot::FieldKind::long_text) input["isMultiline"] = true;
  if (f.initial && !f.initial->empty()) input["value"] = bot::truncate_utf8(sanitize_utf8(*f.initial), max);
  // Teams gives bots no people picker in cards without Graph lookups of our own: a
  // person is typed, as on the console.
  if (f.kind == bot::FieldKind::person && bot::is_blank(f.hint)) input["placeholder"] = "Name or email";
  return input;
}

json number_input(const bot::Field& f, json input) {
  input["type"] = "Input.Number";
  const bool usable_bounds = !(f.min && f.max && *f.min > *f.max);
  const bool has_min = f.min && std::isfinite(*f.min) && usable_bounds;
  const bool has_max = f.max && std::isfinite(*f.max) && usable_bounds;
  if (has_min) input["min"] = number_value(*f.min);
  if (has_max) input["max"] = number_value(*f.max);
  if (has_min && has_max)
    input["errorMessage"] = "Please give a number from " + format_number(*f.min) + " to " + format_number(*f.max) + ".";
  double v = 0;
  if (f.initial && parse_number(*f.initial, v) && (!has_min || v >= *f.min) && (!has_max || v <= *f.max))
    input["value"] = number_value(v);
  return input;
}

json choice_input(const bot::Field& f, json input) {
  json choices = json::array();
  std::set<std::string> seen;
  std::optional<std::string> initial;
  for (const auto& c : f.choices) {
    if (choices.size() == kChoices) break;
    // A value that had to be cut could not come back as itself: left out rather than
    // answered wrongly.
    const std::string value = sanitize_utf8(c.value);
    if (value.empty() || value.size() > kChoiceValue || !seen.insert(value).second) continue;
    choices.push_back({{"title", plain(c.label, kChoiceTitle, value)}, {"value", value}});
    if (f.initial && *f.initial == value) initial = value;
  }
  if (choices.empty()) return text_input(f, std::move(input));  // typing still works
  input["type"] = "Input.ChoiceSet";
  input["style"] = "compact";
  input["isMultiSelect"] = false;
  input["choices"] = std::move(choices);
  if (initial) input["value"] = *initial;
  if (!input.contains("placeholder")) input["placeholder"] = "Choose one";
  return input;
}

json input_for(const bot::Field& f, const std::string& id) {
  json input = {{"id", id}, {"label", plain(f.label, kLabel, id)}};
  if (!bot::is_blank(f.hint)) input["placeholder"] = plain(f.hint, kHint, "");
  // A required toggle must be switched on in Adaptive Cards, which would force "yes":
  // a toggle always has a value anyway.
  if (f.required && f.kind != bot::FieldKind::toggle) {
    input["isRequired"] = true;
    input["errorMessage"] = "Please answer this.";
  }
  switch (f.kind) {
    case bot::FieldKind::text:
    case bot::FieldKind::long_text:
    case bot::FieldKind::person: return text_input(f, std::move(input));
    case bot::FieldKind::number: return number_input(f, std::move(input));
    case bot::FieldKind::single_select: return choice_input(f, std::move(input));
    case bot::FieldKind::date:
      input["type"] = "Input.Date";
      if (f.initial && is_iso_date(*f.initial)) input["value"] = *f.initial;
      return input;
    case bot::FieldKind::toggle:
      // "true"/"false" are what the dialogs (and the Slack and console forms) give.
      input.erase("placeholder");
      input["type"] = "Input.Toggle";
      input["title"] = "Yes";
      input["valueOn"] = "true";
      input["valueOff"] = "false";
      input["value"] = toggle_value(f.initial);
      return input;
  }
  return text_input(f, std::move(input));
}

json button_action(const bot::Button& b) {
  const std::string label = plain(b.label, kButtonTitle, b.value.empty() ? "Choose" : b.value);
  json data = {{kKindKey, "button"},
               {kActionKey, b.id.empty() ? std::string{"button"} : sanitize_utf8(b.id)},
               {kValueKey, bot::truncate_utf8(sanitize_utf8(b.value), kButtonValue)},
               {kLabelKey, label}};
  // Without "none", a click would first have to pass the form's required inputs on
  // the same card, and would send them along.
  json a = {{"type", "Action.Submit"}, {"title", label}, {"data", std::move(data)}, {"associatedInputs", "none"}};
  if (b.style == bot::ButtonStyle::primary) a["style"] = "positive";
  if (b.style == bot::ButtonStyle::danger) a["style"] = "destructive";
  return a;
}

// The form's inputs, each refused answer right under its field, a line above them all
// saying so.
void add_form(json& body, const bot::Form& form) {
  if (auto title = plain(form.title, kLabel, ""); !title.empty()) {
    json t = text_block(std::move(title));
    t["weight"] = "bolder";
    t["size"] = "medium";
    t["separator"] = true;
    body.push_back(std::move(t));
  }
  std::vector<std::pair<const bot::Field*, std::string>> fields;
  std::set<std::string> seen;
  for (const auto& f : form.fields) {
    std::string id = sanitize_utf8(f.id);
    // An input without an id, or a second one with the same id, could not come back
    // keyed by it.
    if (id.empty() || !seen.insert(id).second) continue;
    fields.emplace_back(&f, std::move(id));
  }
  std::map<std::string, std::vector<std::string>> errors;
  for (const auto& [id, why] : form.errors) {
    const std::string key = seen.count(id) || fields.empty() ? id : fields.front().second;
    errors[key].push_back(plain(why, kErrorText, "Please check this value."));
  }
  if (!errors.empty()) {
    json line = text_block("Some answers need another look: see the notes under the fields.");
    line["color"] = "attention";
    line["weight"] = "bolder";
    body.push_back(std::move(line));
  }
  for (const auto& [field, id] : fields) {
    body.push_back(input_for(*field, id));
    if (field->kind == bot::FieldKind::toggle && !bot::is_blank(field->hint)) {
      json hint = text_block(plain(field->hint, kHint, ""));
      hint["isSubtle"] = true;
      hint["size"] = "small";
      hint["spacing"] = "none";
      body.push_back(std::move(hint));
    }
    if (const auto it = errors.find(id); it != errors.end()) {
      json e = text_block(to_teams_markdown(bot::join(it->second, " ")));
      e["color"] = "attention";
      e["spacing"] = "small";
      body.push_back(std::move(e));
      errors.erase(it);
    }
  }
  // Errors with no field to sit under (a form without fields): still said.
  for (const auto& [id, whys] : errors) {
    json e = text_block(to_teams_markdown(bot::join(whys, " ")));
    e["color"] = "attention";
    body.push_back(std::move(e));
  }
}

// What is left in after a message had to be cut to fit (see fitted_card).
struct CardPlan {
  std::size_t text_budget = kMaxActivityBytes;
  bool form = true;
  std::size_t buttons = 0;
  std::optional<std::string> answered_note;
};

std::string summary_of(const bot::Message& m, std::size_t max) {
  std::string s = preview(m.plain_text(), max);
  if (s.empty() && m.form) s = plain(m.form->title, max, "");
  if (s.empty() && m.attachment) s = plain(m.attachment->filename, max, "");
  if (s.empty() && !m.buttons.empty()) {
    std::vector<std::string> labels;
    for (const auto& b : m.buttons) labels.push_back(plain(b.label, kButtonTitle, b.value));
    s = plain(bot::join(labels, " / "), max, "");
  }
  return s.empty() ? std::string{kEllipsis} : s;
}

json build_card(const bot::Message& m, const CardPlan& plan) {
  json body = json::array();
  const Content content = content_of(m, false);
  const Fitted fitted = fit(content, plan.text_budget, kTextBlockOverhead);
  for (const auto& piece : fitted.kept) body.push_back(text_block(piece));
  if (fitted.shortened) {
    json note = text_block(shortened_note(m, fitted, false));
    note["isSubtle"] = true;
    body.push_back(std::move(note));
  }
  if (plan.answered_note) body.push_back(text_block(*plan.answered_note));

  const bool with_form = m.form && plan.form;
  json actions = json::array();
  const std::size_t buttons = std::min(plan.buttons, m.buttons.size());
  const std::size_t total = buttons + (with_form ? 1 : 0);
  if (total <= kActionsPerSet) {
    for (std::size_t i = 0; i < buttons; ++i) actions.push_back(button_action(m.buttons[i]));
  } else {
    // Too many for the card's one row: the buttons go in rows of their own, right
    // under the text they answer.
    for (std::size_t i = 0; i < buttons; ++i) {
      if (i % kActionsPerSet == 0) body.push_back({{"type", "ActionSet"}, {"actions", json::array()}});
      body.back()["actions"].push_back(button_action(m.buttons[i]));
    }
  }
  if (buttons < m.buttons.size()) {
    json note = text_block("_(Some choices did not fit in Teams; type your answer instead.)_");
    note["isSubtle"] = true;
    body.push_back(std::move(note));
  }
  if (with_form) {
    add_form(body, *m.form);
    actions.push_back({{"type", "Action.Submit"},
                       {"title", plain(m.form->submit_label, kButtonTitle, "Submit")},
                       {"style", "positive"},
                       {"data", {{kKindKey, "form"}, {kFormKey, sanitize_utf8(m.form->id)}}}});
  } else if (m.form && !plan.answered_note) {
    json note = text_block("_(This form is too big to show in Teams; please answer in the chat.)_");
    note["isSubtle"] = true;
    body.push_back(std::move(note));
  }
  if (body.empty()) body.push_back(text_block(std::string{kEllipsis}));

  json card = {{"type", "AdaptiveCard"},
               {"version", kCardVersion},
               {"$schema", kCardSchema},
               {"fallbackText", summary_of(m, kFallbackText)},
               {"body", std::move(body)},
               {"msteams", {{"width", "Full"}}}};
  if (!actions.empty()) card["actions"] = std::move(actions);
  return card;
}

json card_activity(const bot::Message& m, json card) {
  return {{"type", "message"},
          {"summary", summary_of(m, kSummary)},
          {"attachments", json::array({{{"contentType", kCardContentType}, {"content", std::move(card)}}})}};
}

// The card activity within kMaxActivityBytes. What must work comes first: without any
// text, the form goes if the rest cannot fit (its questions are asked in the chat too,
// or can be typed there), then buttons; then the text gets the room that is left, cut
// by what the last try overshot.
json fitted_card_activity(const bot::Message& m, std::optional<std::string> answered_note) {
  CardPlan plan;
  plan.buttons = m.buttons.size();
  plan.answered_note = std::move(answered_note);
  const auto size_of = [&](const CardPlan& p) { return card_activity(m, build_card(m, p)).dump().size(); };
  plan.text_budget = 0;
  while (size_of(plan) > kMaxActivityBytes) {
    if (plan.form && m.form) plan.form = false;
    else if (plan.buttons > 0) plan.buttons /= 2;
    else if (plan.answered_note && *plan.answered_note != "✓") plan.answered_note = "✓";
    else return card_activity(m, json{{"type", "AdaptiveCard"},
                                      {"version", kCardVersion},
                                      {"$schema", kCardSchema},
                                      {"fallbackText", "…"},
                                      {"body", json::array({text_block("_(This message is too big for Teams.)_")})},
                                      {"msteams", {{"width", "Full"}}}});
  }
  plan.text_budget = kMaxActivityBytes;
  for (;;) {
    json activity = card_activity(m, build_card(m, plan));
    const std::size_t size = activity.dump().size();
    if (size <= kMaxActivityBytes) return activity;
    const std::size_t over = size - kMaxActivityBytes;
    // The margin pays for the note that a cut adds. At 0 the card fitted above.
    plan.text_budget = plan.text_budget > over + 512 ? plan.text_budget - over - 512 : 0;
  }
}

json text_activity(const bot::Message& m) {
  const Content content = content_of(m, true);
  std::size_t budget = kMaxActivityBytes;
  for (;;) {
    const Fitted fitted = fit(content, budget, kParagraphSeparator);
    std::vector<std::string> parts = fitted.kept;
    if (fitted.shortened) parts.push_back(shortened_note(m, fitted, true));
    std::string text = bot::join(parts, "\n\n");
    if (bot::is_blank(text)) text = std::string{kEllipsis};
    json activity = {{"type", "message"}, {"textFormat", "markdown"}, {"text", std::move(text)}};
    const std::size_t size = activity.dump().size();
    if (size <= kMaxActivityBytes || budget == 0) return activity;
    const std::size_t over = size - kMaxActivityBytes;
    budget = budget > over + 512 ? budget - over - 512 : 0;
  }
}

}  // namespace

nlohmann::json render_activity(const bot::Message& message) {
  if (message.buttons.empty() && !message.form) return text_activity(message);
  return fitted_card_activity(message, std::nullopt);
}

nlohmann::json render_card(const bot::Message& message) {
  return fitted_card_activity(message, std::nullopt)["attachments"][0]["content"];
}

nlohmann::json answered_activity(const bot::Message& original, std::string_view note) {
  bot::Message answered = original;
  answered.buttons.clear();
  answered.form.reset();
  std::string text = to_teams_markdown(plain(note, kNote, "✓"));
  return fitted_card_activity(answered, std::move(text));
}

}  // namespace adapters::teams
