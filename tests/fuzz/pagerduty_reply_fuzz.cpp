// Every reader of PagerDuty REST replies over arbitrary status + body: none may throw or crash,
// and a non-2xx reply is never read as a success.
#include <cstddef>
#include <cstdint>

#include <warroom/api/pagerduty.hpp>
#include <warroom/api/vendor_error.hpp>

#include "fuzz_support.hpp"
#include "reply_input.hpp"

using namespace warroom;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto reply = fuzz::reply_of(data, size);
  const bool ok = api::is_success(reply.status);
  const auto status = api::read_incident_status(reply);
  WARROOM_FUZZ_REQUIRE(ok || !status);
  if (!status) {
    (void)api::is_already_resolved(status.error());
    (void)api::is_already_acknowledged(status.error());
    (void)api::is_duplicate_incident_key(status.error());
  }
  WARROOM_FUZZ_REQUIRE(ok || !api::read_incident_note(reply));
  WARROOM_FUZZ_REQUIRE(ok || !api::read_oncalls(reply));
  WARROOM_FUZZ_REQUIRE(ok || !api::read_pagerduty_user(reply));
  (void)api::read_user_by_email(reply, "someone@example.com");
  WARROOM_FUZZ_REQUIRE(ok || !api::read_incident(reply));
  WARROOM_FUZZ_REQUIRE(ok || !api::read_priorities(reply));
  WARROOM_FUZZ_REQUIRE(ok || !api::read_pagerduty_ok(reply));
  WARROOM_FUZZ_REQUIRE(ok || !api::read_services(reply));
  (void)api::pagerduty_error(reply);
  return 0;
}
