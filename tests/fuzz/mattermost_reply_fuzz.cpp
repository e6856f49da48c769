// Every reader of Mattermost REST replies over arbitrary status + body: none may throw or crash,
// and a non-2xx reply is never read as a success (404 may read as "not found" where documented).
#include <cstddef>
#include <cstdint>

#include <warroom/api/mattermost.hpp>
#include <warroom/api/vendor_error.hpp>

#include "fuzz_support.hpp"
#include "reply_input.hpp"

using namespace warroom;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto reply = fuzz::reply_of(data, size);
  const bool ok = api::is_success(reply.status);
  const auto channel = api::read_channel(reply);
  WARROOM_FUZZ_REQUIRE(ok || !channel);
  if (!channel) (void)api::is_channel_exists(channel.error());
  if (auto found = api::read_channel_if_found(reply); found && found.value())
    WARROOM_FUZZ_REQUIRE(ok);
  (void)api::read_channel_member(reply);
  WARROOM_FUZZ_REQUIRE(ok || !api::read_mattermost_user(reply));
  if (auto user = api::read_user_if_found(reply); user && user.value()) WARROOM_FUZZ_REQUIRE(ok);
  WARROOM_FUZZ_REQUIRE(ok || !api::read_mattermost_users(reply));
  WARROOM_FUZZ_REQUIRE(ok || !api::read_channel_posts(reply));
  WARROOM_FUZZ_REQUIRE(ok || !api::read_post_id(reply));
  (void)api::mattermost_error(reply);
  return 0;
}
