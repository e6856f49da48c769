// PagerDuty webhook intake: the first line is the X-PagerDuty-Signature header, the rest the raw
// body. Runs the signature check, the V3 envelope parser and the whole intake decision; checks
// that a body signed with the configured secret always verifies, and that a 2xx decision to
// store always names a delivery.
#include <cstddef>
#include <cstdint>
#include <vector>

#include <warroom/util/secret.hpp>
#include <warroom/webhook/intake.hpp>
#include <warroom/webhook/pagerduty_event.hpp>
#include <warroom/webhook/pagerduty_signature.hpp>

#include "fuzz_support.hpp"

using namespace warroom;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const std::vector<util::secret> secrets{util::secret("fuzz-secret")};
  const auto [signature, body] = fuzz::split_line(fuzz::as_text(data, size));

  const bool signed_ok = webhook::verify_pagerduty_signature(body, signature, secrets);
  const auto good = webhook::sign_pagerduty_body(body, secrets.front());
  WARROOM_FUZZ_REQUIRE(webhook::verify_pagerduty_signature(body, good, secrets));

  if (auto event = webhook::parse_pagerduty_event(body)) (void)webhook::incident_id_of(*event);

  const auto decision = webhook::decide_pagerduty(body, signature, std::nullopt, secrets);
  if (!signed_ok) WARROOM_FUZZ_REQUIRE(decision.reply.status == 401 && !decision.store);
  const auto valid = webhook::decide_pagerduty(body, std::string_view(good), "d-1", secrets);
  if (valid.store) WARROOM_FUZZ_REQUIRE(!valid.store->delivery_id.empty());
  return 0;
}
