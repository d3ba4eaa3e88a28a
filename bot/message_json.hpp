#pragma once
// JSON form of the Message model: how the outbox stores a message until it is
// delivered. Stable field names; unknown fields are ignored on read so that rows
// written by a newer binary still load.
#include <nlohmann/json.hpp>

#include "bot/message.hpp"

namespace bot {

void to_json(nlohmann::json& j, const Recipient& r);
void from_json(const nlohmann::json& j, Recipient& r);
void to_json(nlohmann::json& j, const Message& m);
void from_json(const nlohmann::json& j, Message& m);

}  // namespace bot
