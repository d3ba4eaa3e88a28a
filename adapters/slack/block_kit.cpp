#include "adapters/slack/block_kit.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <map>
#include <set>
#include <vector>

#include "bot/text.hpp"

namespace adapters::slack {

namespace {

using nlohmann::json;

// Block Kit limits (docs.slack.dev, section 8.3 of the protocol notes).
constexpr std::size_t kTextObject = 3000;   // any text object, so any section
constexpr std::size_t kMessageBlocks = 50;
constexpr std::size_t kViewBlocks = 100;
constexpr std::size_t kActionsPerBlock = 25;
constexpr std::size_t kButtonText = 75;
constexpr std::size_t kButtonValue = 2000;
constexpr std::size_t kId = 255;  // action_id, block_id, callback_id
constexpr std::size_t kOptionText = 75;
constexpr std::size_t kOptionValue = 150;
constexpr std::size_t kSelectOptions = 100;
constexpr std::size_t kViewTitle = 24;  // title, submit, close
constexpr std::size_t kLabel = 2000;    // input label and hint
constexpr std::size_t kPrivateMetadata = 3000;
constexpr std::size_t kFallbackText = 3000;  // chat.postMessage refuses long text (msg_too_long)
// Slack also refuses a message whose blocks hold too much text in total
// (msg_blocks_too_long), at an undocumented ~12,000 characters (bolt-js issues 2509
// and 2867 measured rejections from about 11,300). Stay well below it.
constexpr std::size_t kMessageTextBudget = 8000;
constexpr std::size_t kHomeTextBudget = 12000;
constexpr std::size_t kErrorText = 300;  // shown under one input; longer is unreadable anyway

constexpr std::string_view kEllipsis = "…";

using bot::format_number;
using bot::is_iso_date;
using bot::parse_number;
using bot::sanitize_utf8;

// A user mention ("<@U123>", or "<@U123|label>") at the start of s: its length and
// the user id. Only those stay Slack's markup: a person named that way shows as their
// name and is notified, as if typed in Slack; "<!channel>" and links are escaped like
// any other text.
std::pair<std::size_t, std::string> user_mention_at(std::string_view s) {
  if (!s.starts_with("<@")) return {0, {}};
  const auto close = s.find('>');
  if (close == std::string_view::npos || close > 100) return {0, {}};
  std::string id = bot::mentioned_user(s.substr(0, close + 1));
  return {id.empty() ? 0 : close + 1, std::move(id)};
}

std::string escape_mrkdwn(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    if (auto [length, id] = c == '<' ? user_mention_at(s.substr(i)) : std::pair<std::size_t, std::string>{};
        length > 0) {
      // Without its label, which Slack does not show and whose text would pass unescaped.
      out.append("<@").append(id).append(">");
      i += length - 1;
    } else if (c == '&') {
      out += "&amp;";
    } else if (c == '<') {
      out += "&lt;";
    } else if (c == '>') {
      out += "&gt;";
    } else {
      out += c;
    }
  }
  return out;
}

// Our markdown subset is Slack's mrkdwn except for list bullets.
std::string to_mrkdwn(std::string_view ours) {
  const std::string text = sanitize_utf8(ours);
  std::string out;
  out.reserve(text.size());
  bool in_fence = false;
  std::size_t pos = 0;
  while (pos <= text.size()) {
    auto nl = text.find('\n', pos);
    if (nl == std::string::npos) nl = text.size();
    std::string_view line = std::string_view{text}.substr(pos, nl - pos);
    const auto indent = line.find_first_not_of(' ');
    const std::string_view body = indent == std::string_view::npos ? std::string_view{} : line.substr(indent);
    if (body.starts_with("```")) in_fence = !in_fence;
    if (!in_fence && (body.starts_with("- ") || body == "-")) {
      out.append(line.substr(0, indent)).append("• ").append(body.substr(std::min<std::size_t>(2, body.size())));
    } else {
      out.append(line);
    }
    if (nl < text.size()) out += '\n';
    pos = nl + 1;
  }
  return escape_mrkdwn(out);
}

// At most max bytes of s, ending on a character boundary and not inside an entity
// (&amp;) or a <link|label> token, which would show as garbage.
std::size_t safe_cut(std::string_view s, std::size_t max) {
  if (s.size() <= max) return s.size();
  std::size_t end = max;
  while (end > 0 && (static_cast<unsigned char>(s[end]) & 0xC0u) == 0x80u) --end;
  const std::string_view head = s.substr(0, end);
  const auto amp = head.rfind('&');
  if (amp != std::string_view::npos && head.find(';', amp) == std::string_view::npos && end - amp < 5) end = amp;
  const auto lt = s.substr(0, end).rfind('<');
  if (lt != std::string_view::npos && lt > 0 && s.substr(lt, end - lt).find('>') == std::string_view::npos) end = lt;
  return end;
}

bool blank(std::string_view s) { return bot::trim(s).empty(); }

std::string_view trim_newlines(std::string_view s) {
  while (!s.empty() && (s.front() == '\n' || s.front() == '\r')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == '\n' || s.back() == '\r' || s.back() == ' ')) s.remove_suffix(1);
  return s;
}

// Pieces of at most max bytes, broken at a paragraph, else a line, else a space in the
// second half of the window, else at a character boundary. Blank pieces are dropped.
std::vector<std::string> split_text(std::string_view text, std::size_t max) {
  std::vector<std::string> pieces;
  std::string_view rest = trim_newlines(text);
  while (!rest.empty()) {
    if (rest.size() <= max) {
      if (!blank(rest)) pieces.emplace_back(rest);
      break;
    }
    std::size_t cut = safe_cut(rest, max);
    if (cut == 0) cut = std::min(rest.size(), max);  // a single token longer than max: cut it anyway
    const std::string_view window = rest.substr(0, cut);
    std::size_t piece_end = cut, next = cut;
    for (std::string_view sep : {std::string_view{"\n\n"}, std::string_view{"\n"}, std::string_view{" "}}) {
      const auto p = window.rfind(sep);
      if (p != std::string_view::npos && p >= cut / 2) {
        piece_end = p;
        next = p + sep.size();
        break;
      }
    }
    const std::string_view piece = trim_newlines(rest.substr(0, piece_end));
    if (!blank(piece)) pieces.emplace_back(piece);
    rest = trim_newlines(rest.substr(next));
  }
  return pieces;
}

// For plain_text objects (labels, titles): never empty, never over the limit.
std::string plain(std::string_view text, std::size_t max, std::string_view fallback) {
  std::string t{bot::trim(sanitize_utf8(text))};
  if (t.empty()) t = std::string{fallback};
  if (t.size() <= max) return t;
  return bot::truncate_utf8(t, max - kEllipsis.size()) + std::string{kEllipsis};
}

json plain_text(std::string text) { return {{"type", "plain_text"}, {"text", std::move(text)}, {"emoji", true}}; }

json section(std::string mrkdwn) {
  return {{"type", "section"}, {"text", {{"type", "mrkdwn"}, {"text", std::move(mrkdwn)}}}};
}

json context_note(std::string mrkdwn) {
  return {{"type", "context"}, {"elements", json::array({{{"type", "mrkdwn"}, {"text", std::move(mrkdwn)}}})}};
}

// Room left in a surface; every block and every byte of block text is taken from it.
struct Room {
  std::size_t blocks;
  std::size_t text;
  bool shortened = false;
};

// Appends `mrkdwn` as sections, as far as the room allows.
void add_sections(json& blocks, std::string_view mrkdwn, Room& room, std::size_t piece_max = kTextObject,
                  std::string_view before = {}, std::string_view after = {}) {
  const std::size_t wrap = before.size() + after.size();
  for (const auto& piece : split_text(mrkdwn, piece_max - wrap)) {
    // A last piece much shorter than this would be noise, not content.
    constexpr std::size_t kMinUseful = 200;
    if (room.blocks == 0 || room.text < std::min(piece.size(), kMinUseful) + wrap) {
      room.shortened = true;
      return;
    }
    std::string text = piece;
    if (text.size() + wrap > room.text) {
      const auto head = split_text(piece, room.text - wrap);
      room.shortened = true;
      if (head.empty()) return;
      text = head.front();
    }
    room.blocks -= 1;
    room.text -= text.size() + wrap;
    blocks.push_back(section(std::string{before} + text + std::string{after}));
    if (room.shortened) return;
  }
}

json button(const bot::Button& b, std::size_t index) {
  const std::string suffix = "#" + std::to_string(index);
  const std::string id = b.id.empty() ? std::string{"button"} : b.id;
  json j = {{"type", "button"},
            {"action_id", bot::truncate_utf8(sanitize_utf8(id), kId - suffix.size()) + suffix},
            {"text", plain_text(plain(b.label, kButtonText, b.value.empty() ? "Choose" : b.value))}};
  if (!b.value.empty()) j["value"] = bot::truncate_utf8(sanitize_utf8(b.value), kButtonValue);
  if (b.style == bot::ButtonStyle::primary) j["style"] = "primary";
  if (b.style == bot::ButtonStyle::danger) j["style"] = "danger";
  return j;
}

// Sections, then the attachment, then a note when something was cut, then the buttons
// (they are what the reader must act on, so their blocks are reserved first).
json render_blocks(const bot::Message& m, std::size_t max_blocks, std::size_t text_budget) {
  const std::size_t action_blocks =
      std::min((m.buttons.size() + kActionsPerBlock - 1) / kActionsPerBlock, max_blocks - 2);
  Room room{max_blocks - action_blocks - 1, text_budget, false};  // one block kept for the note
  json blocks = json::array();

  for (const auto& s : m.sections) {
    if (blank(s.text)) continue;
    add_sections(blocks, to_mrkdwn(s.text), room);
    if (room.shortened) break;
  }
  bool attachment_cut = false;
  if (m.attachment && !room.shortened && !blank(m.attachment->content)) {
    const std::string name = escape_mrkdwn(plain(m.attachment->filename, 200, "attachment"));
    if (room.blocks > 1 && room.text > name.size() + 200) {
      std::string heading = "*" + name + "*";
      room.blocks -= 1;
      room.text -= heading.size();
      blocks.push_back(section(std::move(heading)));
      // Code blocks keep the file's own layout; escaping still applies inside them.
      add_sections(blocks, escape_mrkdwn(sanitize_utf8(m.attachment->content)), room, kTextObject, "```\n",
                   "\n```");
    } else {
      room.shortened = true;
    }
    attachment_cut = room.shortened;
  }
  if (room.shortened) {
    blocks.push_back(context_note(
        attachment_cut ? "_(" + escape_mrkdwn(plain(m.attachment->filename, 200, "The attachment")) +
                             " is longer than a Slack message can show: this is the beginning.)_"
                       : std::string{"_(Message shortened to fit in Slack.)_"}));
  }

  const std::size_t max_buttons = action_blocks * kActionsPerBlock;
  for (std::size_t i = 0; i < m.buttons.size() && i < max_buttons; ++i) {
    if (i % kActionsPerBlock == 0) blocks.push_back({{"type", "actions"}, {"elements", json::array()}});
    blocks.back()["elements"].push_back(button(m.buttons[i], i));
  }
  return blocks;
}

std::string fallback_text(const bot::Message& m) {
  std::string text = to_mrkdwn(m.plain_text());
  if (blank(text) && m.attachment) text = escape_mrkdwn(plain(m.attachment->filename, 200, "attachment"));
  if (blank(text) && !m.buttons.empty()) {
    std::vector<std::string> labels;
    for (const auto& b : m.buttons) labels.push_back(escape_mrkdwn(plain(b.label, kButtonText, b.value)));
    text = bot::join(labels, " / ");
  }
  if (blank(text)) text = std::string{kEllipsis};
  if (text.size() > kFallbackText)
    text = text.substr(0, safe_cut(text, kFallbackText - kEllipsis.size())) + std::string{kEllipsis};
  return text;
}


bool is_whole(double v) { return std::isfinite(v) && std::trunc(v) == v; }



bool looks_like_user_id(std::string_view s) {
  if (s.size() < 2 || s.size() > 32 || (s[0] != 'U' && s[0] != 'W')) return false;
  return std::all_of(s.begin(), s.end(), [](char c) { return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'); });
}

json option(std::string_view label, const std::string& value) {
  return {{"text", plain_text(plain(label, kOptionText, value))}, {"value", value}};
}

json text_input(const bot::Field& f) {
  json e = {{"type", "plain_text_input"}, {"action_id", f.id}};
  if (f.kind == bot::FieldKind::long_text) e["multiline"] = true;
  std::size_t max = kTextObject;
  if (f.max_length && *f.max_length > 0) max = std::min(max, static_cast<std::size_t>(*f.max_length));
  if (f.max_length && *f.max_length > 0) e["max_length"] = max;
  if (f.initial && !f.initial->empty()) e["initial_value"] = bot::truncate_utf8(sanitize_utf8(*f.initial), max);
  return e;
}

json number_input(const bot::Field& f) {
  // Slack requires is_decimal_allowed, and refuses decimal bounds or values without it.
  const bool whole = f.min && f.max && is_whole(*f.min) && is_whole(*f.max);
  json e = {{"type", "number_input"}, {"action_id", f.id}, {"is_decimal_allowed", !whole}};
  const bool usable_bounds = !(f.min && f.max && *f.min > *f.max);
  if (f.min && std::isfinite(*f.min) && usable_bounds) e["min_value"] = format_number(*f.min);
  if (f.max && std::isfinite(*f.max) && usable_bounds) e["max_value"] = format_number(*f.max);
  double v = 0;
  if (f.initial && parse_number(*f.initial, v) && (!whole || is_whole(v)) &&
      (!usable_bounds || ((!f.min || v >= *f.min) && (!f.max || v <= *f.max))))
    e["initial_value"] = format_number(v);
  return e;
}

json select_input(const bot::Field& f) {
  json options = json::array();
  json initial;
  std::set<std::string> seen;
  for (const auto& c : f.choices) {
    if (options.size() == kSelectOptions) break;
    // A value Slack would cut or refuse could not come back as itself, so such a choice
    // is left out rather than answered wrongly.
    const std::string value = sanitize_utf8(c.value);
    if (value.empty() || value.size() > kOptionValue || !seen.insert(value).second) continue;
    json o = option(c.label, value);
    if (f.initial && *f.initial == value) initial = o;
    options.push_back(std::move(o));
  }
  if (options.empty()) return text_input(f);  // an empty select is refused; typing still works
  json e = {{"type", "static_select"},
            {"action_id", f.id},
            {"placeholder", plain_text("Choose one")},
            {"options", std::move(options)}};
  if (!initial.is_null()) e["initial_option"] = std::move(initial);
  return e;
}

json toggle_input(const bot::Field& f) {
  json yes = option("Yes", "true"), no = option("No", "false");
  json e = {{"type", "radio_buttons"}, {"action_id", f.id}, {"options", json::array({yes, no})}};
  if (f.initial) {
    const std::string v = bot::lower(bot::trim(*f.initial));
    if (v == "true" || v == "yes") e["initial_option"] = yes;
    if (v == "false" || v == "no") e["initial_option"] = no;
  }
  return e;
}

json input_element(const bot::Field& f) {
  switch (f.kind) {
    case bot::FieldKind::text:
    case bot::FieldKind::long_text: return text_input(f);
    case bot::FieldKind::number: return number_input(f);
    case bot::FieldKind::single_select: return select_input(f);
    case bot::FieldKind::date: {
      json e = {{"type", "datepicker"}, {"action_id", f.id}};
      if (f.initial && is_iso_date(*f.initial)) e["initial_date"] = *f.initial;
      return e;
    }
    case bot::FieldKind::person: {
      json e = {{"type", "users_select"}, {"action_id", f.id}, {"placeholder", plain_text("Choose someone")}};
      if (f.initial && looks_like_user_id(*f.initial)) e["initial_user"] = *f.initial;
      return e;
    }
    case bot::FieldKind::toggle: return toggle_input(f);
  }
  return text_input(f);
}

std::string field_id(const bot::Field& f) { return bot::truncate_utf8(sanitize_utf8(f.id), kId); }

}  // namespace

nlohmann::json message_body(const bot::Message& message) {
  json body = {{"text", fallback_text(message)}};
  json blocks = render_blocks(message, kMessageBlocks, kMessageTextBudget);
  if (!blocks.empty()) body["blocks"] = std::move(blocks);
  return body;
}

nlohmann::json home_view(const bot::Message& message) {
  json blocks = render_blocks(message, kViewBlocks, kHomeTextBudget);
  if (blocks.empty()) blocks.push_back(section("Nothing here yet."));
  return {{"type", "home"}, {"blocks", std::move(blocks)}};
}

nlohmann::json modal_view(const bot::Form& form, const std::string& channel) {
  json blocks = json::array();
  std::set<std::string> seen;
  for (const auto& f : form.fields) {
    if (blocks.size() == kViewBlocks) break;
    bot::Field field = f;
    field.id = field_id(f);
    if (!seen.insert(field.id).second) continue;  // Slack refuses duplicate block ids
    json block = {{"type", "input"},
                  {"block_id", field.id},
                  {"label", plain_text(plain(f.label, kLabel, f.id.empty() ? "Field" : f.id))},
                  {"optional", !f.required},
                  {"element", input_element(field)}};
    if (!blank(f.hint)) block["hint"] = plain_text(plain(f.hint, kLabel, ""));
    blocks.push_back(std::move(block));
  }
  json view = {{"type", "modal"},
               {"callback_id", bot::truncate_utf8(sanitize_utf8(form.id), kId)},
               {"title", plain_text(plain(form.title, kViewTitle, "Form"))},
               {"close", plain_text("Cancel")},
               {"blocks", std::move(blocks)}};
  // Slack refuses a modal with inputs but no submit button.
  view["submit"] = plain_text(plain(form.submit_label, kViewTitle, "Submit"));
  if (!channel.empty()) {
    std::string metadata = json{{"c", sanitize_utf8(channel)}}.dump();
    if (metadata.size() <= kPrivateMetadata) view["private_metadata"] = std::move(metadata);
  }
  return view;
}

nlohmann::json view_errors(const bot::Form& form) {
  std::set<std::string> ids;
  for (std::size_t i = 0; i < form.fields.size() && i < kViewBlocks; ++i) ids.insert(field_id(form.fields[i]));
  std::map<std::string, std::string> by_block;
  for (const auto& [id, why] : form.errors) {
    std::string block = ids.count(id) ? id : (form.fields.empty() ? id : field_id(form.fields.front()));
    std::string& text = by_block[block];
    const std::string msg = plain(why, kErrorText, "Please check this value.");
    text = text.empty() ? msg : plain(text + " " + msg, kErrorText, msg);
  }
  json errors = json::object();
  for (auto& [block, text] : by_block) errors[block] = std::move(text);
  return {{"response_action", "errors"}, {"errors", std::move(errors)}};
}

nlohmann::json answered_body(std::string_view original_mrkdwn, std::string_view chosen_label) {
  const std::string original = sanitize_utf8(original_mrkdwn);
  const std::string label = escape_mrkdwn(plain(chosen_label, kButtonText, ""));
  const std::string check = label.empty() ? std::string{"✓"} : "✓ " + label;
  Room room{kMessageBlocks - 2, kMessageTextBudget, false};
  json blocks = json::array();
  add_sections(blocks, original, room);
  if (room.shortened) blocks.push_back(context_note("_(Message shortened to fit in Slack.)_"));
  blocks.push_back(context_note(check));
  std::string text = blank(original) ? check : original;
  if (text.size() > kFallbackText)
    text = text.substr(0, safe_cut(text, kFallbackText - kEllipsis.size())) + std::string{kEllipsis};
  return {{"text", std::move(text)}, {"blocks", std::move(blocks)}};
}

}  // namespace adapters::slack
