#pragma once
// A person's own page in the app (Slack's App Home tab): their plan and its status,
// goals with progress, when the next check-in comes, what waits for them, and buttons
// to start a check-in, add a goal or open settings. Built from committed facts after
// every event that changes them; platforms without such a page drop the message.
// Pure functions over value types; thread-safe.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "bot/message.hpp"
#include "bot/model.hpp"

namespace bot {

struct HomeFacts {
  Person person;
  std::optional<Plan> plan;
  std::vector<Goal> goals;                // active goals
  std::vector<Goal> achieved;             // the plan's achieved goals
  std::string iso_week;                   // this week, in the person's zone
  std::optional<CheckIn> this_week;       // latest revision for iso_week
  std::optional<Instant> next_checkin;    // the scheduler's next prompt
  std::optional<std::string> open_dialog; // title of the dialog in progress ("check-in")
  int reviews_waiting = 0;                // plans of their reports waiting for their review
};

// The update key of every home page: each one replaces the last.
inline constexpr std::string_view kHomeUpdateKey = "home";

Message home_page(const HomeFacts& facts);

// The page that replaces an erased person's Home tab (which still showed their plan),
// addressed to their Slack user id since no person is left to address.
Message emptied_home_page(const std::string& slack_user);

}  // namespace bot
