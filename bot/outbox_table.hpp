#pragma once
// Dead letters as an aligned text table for operators (`coachbot outbox --failed`).
// Shows who, when and why, and only the start of each message: enough to recognise
// it, not to read what people were sent. Pure; thread-safe.
#include <cstddef>
#include <string>
#include <vector>

#include "bot/repositories.hpp"

namespace bot {

// Characters of a message's text shown in the table.
inline constexpr std::size_t kOutboxPreviewChars = 60;

// One row per item; `total` is how many dead messages there are in all, so that a
// table cut at a limit says how many it left out.
std::string dead_letters_table(const std::vector<OutboxItem>& items, std::size_t total);

}  // namespace bot
