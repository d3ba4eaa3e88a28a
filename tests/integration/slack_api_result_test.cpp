// What a Web API answer means for whoever made the call: try again later, or stop
// because Slack refuses the token itself (and then no single message is at fault).
// (Here rather than in unit/: ApiResult lives with the networked half of the adapter.)
#include <catch2/catch.hpp>

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
