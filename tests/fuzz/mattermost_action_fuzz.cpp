// Mattermost button click: the callback parser, the action token check and the click decision
// over arbitrary bodies. Also a round trip: a token signed for the parsed click's own fields
// verifies for them (unless a field holds a newline or the token is over the size bound, which by
// contract never verify), and the
// decision for any body never accepts a token that was not signed with the ring's key.
#include <cstddef>
#include <cstdint>

#include <warroom/util/secret.hpp>
#include <warroom/webhook/action_token.hpp>
#include <warroom/webhook/intake.hpp>
#include <warroom/webhook/mattermost_action.hpp>

#include "fuzz_support.hpp"

using namespace warroom;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const webhook::action_keyring keys{{"k1", util::secret("fuzz-key")}};
  constexpr std::int64_t now = 1'767'225'600;
  const auto body = fuzz::as_text(data, size);

  const auto click = webhook::decide_click(body, keys, now);
  if (click.decision.store) WARROOM_FUZZ_REQUIRE(click.claims.has_value());

  auto request = webhook::parse_action_request(body);
  if (!request) return 0;
  const auto& ctx = request->context;
  (void)webhook::verify_action_token(ctx.token, keys, ctx.action, ctx.incident_id,
                                     request->channel_id, now);

  const webhook::action_claims claims{ctx.action, ctx.incident_id, request->channel_id, now + 60,
                                      3};
  const auto token = webhook::sign_action_token(claims, "k1", keys.front().secret);
  const auto back = webhook::verify_action_token(token, keys, ctx.action, ctx.incident_id,
                                                 request->channel_id, now);
  const bool newline =
      (ctx.action + ctx.incident_id + request->channel_id).find('\n') != std::string::npos;
  const bool verifiable = !newline && token.size() <= webhook::max_action_token_bytes;
  WARROOM_FUZZ_REQUIRE(back.has_value() == verifiable);
  if (back) WARROOM_FUZZ_REQUIRE(back.value() == claims);
  return 0;
}
