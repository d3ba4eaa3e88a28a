#pragma once
// The platform-neutral outbound message. Dialogs build these; adapters render them
// (Block Kit, Adaptive Cards, numbered console choices). Text uses a small markdown
// subset: *bold*, _italic_, `code`, "- " bullets and blank-line paragraphs. Value
// types; safe to copy between threads.
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "bot/ids.hpp"

namespace bot {

// `manager` means "the manager of `person`": the engine resolves it to that person's
// direct messages when it queues the message (dropped when there is no manager), so
// adapters and the outbox only ever see person, channel, thread and home. `home` is the
// person's own page in the app (Slack's App Home tab): the message replaces what it
// showed; platforms without such a page drop it.
enum class RecipientKind { person, channel, thread, manager, home };

struct Recipient {
  RecipientKind kind = RecipientKind::person;
  PersonId person;      // for kind == person: delivered to their direct messages
  std::string channel;  // platform channel id, for channel and thread
  std::string thread;   // platform thread id, for thread
  static Recipient dm(PersonId p) { return {RecipientKind::person, p, {}, {}}; }
  static Recipient manager_of(PersonId p) { return {RecipientKind::manager, p, {}, {}}; }
  static Recipient home_of(PersonId p) { return {RecipientKind::home, p, {}, {}}; }
  bool operator==(const Recipient&) const = default;
};

enum class ButtonStyle { normal, primary, danger };

struct Button {
  std::string id;     // action id, stable across renders
  std::string label;  // what the person sees
  std::string value;  // what comes back on a click
  ButtonStyle style = ButtonStyle::normal;
  bool operator==(const Button&) const = default;
};

enum class FieldKind { text, long_text, number, single_select, date, person, toggle };

struct Choice {
  std::string value;
  std::string label;
  bool operator==(const Choice&) const = default;
};

struct Field {
  std::string id;
  std::string label;
  FieldKind kind = FieldKind::text;
  bool required = true;
  std::string hint;
  std::optional<std::string> initial;
  std::optional<double> min;  // number
  std::optional<double> max;  // number
  std::optional<int> max_length;  // text, long_text
  std::vector<Choice> choices;    // single_select
  bool operator==(const Field&) const = default;
};

struct Form {
  std::string id;
  std::string title;
  std::string submit_label = "Submit";
  std::vector<Field> fields;
  // Field id -> why its value was refused: set when a submitted form comes back to be
  // corrected (a modal shows them next to the fields).
  std::map<std::string, std::string> errors;
  // The message also asks these questions one at a time, so the form is a shortcut: a
  // platform shows it only where it can open it at once (a Slack modal on a click) and
  // otherwise ignores it.
  bool also_asked = false;
  bool operator==(const Form&) const = default;
};

struct Section {
  std::string text;
  bool operator==(const Section&) const = default;
};

// A document sent with a message (the portfolio export). Platforms that cannot
// attach files show it as text.
struct Attachment {
  std::string filename;
  std::string media_type;  // "text/markdown"
  std::string content;
  bool operator==(const Attachment&) const = default;
};

struct Message {
  Recipient to;
  std::vector<Section> sections;
  std::vector<Button> buttons;
  std::optional<Form> form;
  // Messages with the same update key replace each other (e.g. to disable buttons
  // after a click) where the platform can edit messages.
  std::optional<std::string> update_key;
  std::optional<Attachment> attachment;
  // The platform's id of a delivered message this one replaces (an adapter editing the
  // message whose button was clicked); the outbox's update_key match takes precedence.
  std::optional<std::string> edits;
  // Set by the engine on a reply to what its recipient just did: they are looking at the
  // chat, so a platform that can raise a notification on top of it (Teams' activity
  // feed) does not. Nudges, prompts and news from others leave it false.
  bool answer = false;
  // The platform's id of a delivered message to remove, and nothing else to say: the
  // person it was about erased their data (an achievement post in a channel, a review
  // request in their manager's chat).
  std::optional<std::string> retracts = {};
  bool operator==(const Message&) const = default;

  static Message text(Recipient to, std::string body) {
    return Message{to, {Section{std::move(body)}}, {}, {}, {}, {}, {}, false};
  }
  // Removes the delivered message `platform_ref` from where `to` sees it.
  static Message removal(Recipient to, std::string platform_ref) {
    return Message{to, {}, {}, {}, {}, {}, {}, false, std::move(platform_ref)};
  }
  // All sections' text joined by blank lines: what a plain-text platform shows.
  std::string plain_text() const;
};

}  // namespace bot
