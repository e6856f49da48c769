// PagerDuty webhook intake: the first line is the X-PagerDuty-Signature header, the rest the raw
// body. Runs the signature check, the V3 envelope parser and the whole intake decision; checks
// that a body signed with the configured secret always verifies, that a 2xx decision to store
// always names a delivery, that the one-pass skim accepts exactly the JSON nlohmann accepts, and
// that intake's envelope scan agrees with the full parse: the same ids, or the same rejection.
#include <cstddef>
#include <cstdint>
#include <vector>

#include <nlohmann/json.hpp>

#include <warroom/util/secret.hpp>
#include <warroom/webhook/intake.hpp>
#include <warroom/webhook/json_input.hpp>
#include <warroom/webhook/json_skim.hpp>
#include <warroom/webhook/pagerduty_envelope.hpp>
#include <warroom/webhook/pagerduty_event.hpp>
#include <warroom/webhook/pagerduty_signature.hpp>

#include "fuzz_support.hpp"

using namespace warroom;

namespace {

class nothing_wanted final : public webhook::skim_handler {
 public:
  plan plan_member(int, std::string_view) override { return {}; }
  void member(int, std::string_view, webhook::skim_kind, std::string_view) override {}
};

// Validation alone: a skim that finds an error agrees with nlohmann's, and one that finds none
// reads a text nlohmann accepts. (Too deep: nlohmann has no bound to compare with.)
void require_skim_agrees(std::string_view body) {
  nothing_wanted handler;
  const auto status = webhook::skim_json(body, webhook::max_json_depth, handler);
  if (status == webhook::skim_status::too_deep) return;
  const bool accepted = nlohmann::json::accept(body.begin(), body.end());
  WARROOM_FUZZ_REQUIRE(accepted == (status == webhook::skim_status::ok));
}

void require_envelope_agrees(std::string_view body) {
  const auto full = webhook::parse_pagerduty_event(body);
  const auto scan = webhook::scan_pagerduty_envelope(body);
  WARROOM_FUZZ_REQUIRE(full.has_value() == scan.has_value());
  if (!full) {
    WARROOM_FUZZ_REQUIRE(full.error().code == scan.error().code);
    return;
  }
  WARROOM_FUZZ_REQUIRE(scan->id == full->id && scan->event_type == full->event_type);
  WARROOM_FUZZ_REQUIRE(scan->kind == full->kind);
  WARROOM_FUZZ_REQUIRE(scan->incident_id == webhook::incident_id_of(*full));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const std::vector<util::secret> secrets{util::secret("fuzz-secret")};
  const auto [signature, body] = fuzz::split_line(fuzz::as_text(data, size));

  const bool signed_ok = webhook::verify_pagerduty_signature(body, signature, secrets);
  const auto good = webhook::sign_pagerduty_body(body, secrets.front());
  WARROOM_FUZZ_REQUIRE(webhook::verify_pagerduty_signature(body, good, secrets));

  require_skim_agrees(body);
  require_envelope_agrees(body);

  const auto decision = webhook::decide_pagerduty(body, signature, std::nullopt, secrets);
  if (!signed_ok) WARROOM_FUZZ_REQUIRE(decision.reply.status == 401 && !decision.store);
  const auto valid = webhook::decide_pagerduty(body, std::string_view(good), "d-1", secrets);
  if (valid.store) WARROOM_FUZZ_REQUIRE(!valid.store->delivery_id.empty());
  return 0;
}
