// What a Web API answer means for whoever made the call: try again later, or stop
// because Slack refuses the token itself (and then no single message is at fault).
// (Here rather than in unit/: ApiResult lives with the networked half of the adapter.)
#include <catch2/catch.hpp>

#include "adapters/slack/delivery.hpp"
#include "adapters/slack/web_api.hpp"

namespace {

using adapters::slack::ApiResult;

ApiResult error(const char* code) {
  ApiResult r;
  r.kind = ApiResult::Kind::error;
  r.error = code;
  return r;
}

}  // namespace

TEST_CASE("A revoked, expired or unknown token is refused for every call, a missing scope is not") {
  for (const char* code : {"not_authed", "invalid_auth", "account_inactive", "token_revoked", "token_expired",
                           "team_disabled", "user_removed_from_team"}) {
    INFO(code);
    CHECK(error(code).token_refused());
    CHECK_FALSE(error(code).transient());
  }
  CHECK_FALSE(error("missing_scope").token_refused());
  CHECK_FALSE(error("channel_not_found").token_refused());
  ApiResult network;
  network.kind = ApiResult::Kind::network;
  network.error = "invalid_auth";  // a message of our own, not Slack's code
  CHECK_FALSE(network.token_refused());
  CHECK(network.transient());
}

TEST_CASE("Slack's own transient error codes are tried again, others are final") {
  CHECK(error("internal_error").transient());
  CHECK(error("service_unavailable").transient());
  CHECK(error("ratelimited").transient());
  CHECK_FALSE(error("invalid_blocks").transient());
  CHECK_FALSE(error("msg_too_long").transient());
}

TEST_CASE("A rate limit holds messages back without using up their attempts") {
  using namespace std::chrono_literals;
  ApiResult too_many;
  too_many.kind = ApiResult::Kind::rate_limited;
  too_many.error = "ratelimited";
  too_many.retry_after = 3s;
  SECTION("a 429 holds this recipient for its Retry-After") {
    const auto d = adapters::slack::delivery_outcome(too_many, "chat.postMessage");
    CHECK(d.outcome == bot::Delivery::Outcome::retry);
    CHECK_FALSE(d.counted);
    CHECK(d.retry_after == 3s);
    CHECK(d.pause_platform == 0ms);
  }
  SECTION("ratelimited in a 200's body is the same") {
    const auto d = adapters::slack::delivery_outcome(error("ratelimited"), "chat.update");
    CHECK(d.outcome == bot::Delivery::Outcome::retry);
    CHECK_FALSE(d.counted);
    CHECK(d.pause_platform == 0ms);
  }
  SECTION("rate_limited, the workspace's posting cap, holds every recipient for a while") {
    const auto d = adapters::slack::delivery_outcome(error("rate_limited"), "chat.postMessage");
    CHECK(d.outcome == bot::Delivery::Outcome::retry);
    CHECK_FALSE(d.counted);
    CHECK(d.pause_platform == 5s);
    CHECK_THAT(d.error, Catch::Contains("rate_limited"));
  }
  SECTION("an error of the message itself fails it") {
    const auto d = adapters::slack::delivery_outcome(error("invalid_blocks"), "chat.postMessage");
    CHECK(d.outcome == bot::Delivery::Outcome::failed);
    CHECK_THAT(d.error, Catch::Contains("chat.postMessage: invalid_blocks"));
  }
  SECTION("a refused token pauses the platform") {
    const auto d = adapters::slack::delivery_outcome(error("token_revoked"), "views.publish");
    CHECK(d.pause_platform > 0ms);
  }
}
