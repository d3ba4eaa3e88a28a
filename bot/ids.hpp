#pragma once
// Typed identifiers. A person id cannot be passed where an outbox id belongs, and a
// platform user id (a string owned by Slack or Teams) never mixes with our own ids.
// Plain value types: safe to copy across threads.
#include <compare>
#include <cstdint>
#include <functional>
#include <string>

namespace bot {

template <class Tag>
struct Id {
  std::int64_t value = 0;
  auto operator<=>(const Id&) const = default;
  explicit operator bool() const { return value != 0; }
};

using PersonId = Id<struct PersonTag>;
using PlanId = Id<struct PlanTag>;
using GoalId = Id<struct GoalTag>;
using CheckInId = Id<struct CheckInTag>;
using OutboxId = Id<struct OutboxTag>;
using ReflectionId = Id<struct ReflectionTag>;
using EvidenceId = Id<struct EvidenceTag>;
using AchievementId = Id<struct AchievementTag>;

enum class Platform { console, slack, teams };

std::string_view to_string(Platform p);
bool parse_platform(std::string_view s, Platform& out);

// Who someone is on one platform: Slack team + user id, Teams tenant + AAD object id,
// or the console's local name.
struct Identity {
  Platform platform = Platform::console;
  std::string tenant;
  std::string user;
  auto operator<=>(const Identity&) const = default;
};

}  // namespace bot

template <class Tag>
struct std::hash<bot::Id<Tag>> {
  std::size_t operator()(const bot::Id<Tag>& id) const noexcept { return std::hash<std::int64_t>{}(id.value); }
};
