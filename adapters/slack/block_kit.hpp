#pragma once
// Renders the neutral bot::Message and bot::Form as Slack Block Kit JSON that Slack
// accepts whatever the content: text is escaped (it holds user input), split and
// shortened to Slack's limits, labels truncated, ids made unique, and anything that
// had to be cut says so to the reader. Limits are counted in bytes, which is never less
// than Slack's character count, so cutting early is the only possible error.
// Pure functions; thread-safe.
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "bot/message.hpp"

namespace adapters::slack {

// {"text": fallback, "blocks": [...]} for chat.postMessage / chat.update (the caller
// adds channel, ts, thread_ts). Sections become mrkdwn section blocks, buttons
// `actions` blocks whose action_id is "<button id>#<index>" (Slack wants them unique;
// the parser strips the suffix), an attachment its content in code blocks. A message's
// `form` is not rendered: a modal needs a trigger id, which the transport has.
nlohmann::json message_body(const bot::Message& message);

// The App Home tab for views.publish: {"type":"home","blocks":[...]}, rendered like a
// message but with room for 100 blocks.
nlohmann::json home_view(const bot::Message& message);

// A modal for views.open: callback_id = form id, one input block per field (block_id
// and action_id = field id, which is what parse_interactive's form_values are keyed
// by), and the channel to answer in kept in private_metadata as {"c": channel}.
// A toggle is a Yes/No radio pair whose values are "true"/"false".
nlohmann::json modal_view(const bot::Form& form, const std::string& channel);

// The view_submission ack that keeps the modal open and shows form.errors under the
// fields: {"response_action":"errors","errors":{block_id: message}}. An error for an
// id that is not a field is shown under the first field. Only meaningful when
// form.errors is not empty.
nlohmann::json view_errors(const bot::Form& form);

// The clicked message rebuilt without its buttons, with "✓ <label>" under it, for
// chat.update. `original_mrkdwn` is Inbound::message_text: already Slack mrkdwn, so it
// is not escaped again; the label is.
nlohmann::json answered_body(std::string_view original_mrkdwn, std::string_view chosen_label);

}  // namespace adapters::slack
