// Mattermost slash command: the strict form parser, the token check and the command-text parser.
// Properties: a form that parses re-encodes to one that parses to the same fields, and a body
// whose token field is not the configured token is never accepted.
#include <cstddef>
#include <cstdint>
#include <vector>

#include <warroom/util/secret.hpp>
#include <warroom/webhook/form.hpp>
#include <warroom/webhook/incident_command.hpp>
#include <warroom/webhook/slash_command.hpp>

#include "fuzz_support.hpp"

using namespace warroom;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const std::vector<util::secret> tokens{util::secret("fuzz-token")};
  const auto body = fuzz::as_text(data, size);

  const auto decision = webhook::decide_slash_command(body, tokens);
  auto form = webhook::parse_form(body);
  if (decision.request) {
    WARROOM_FUZZ_REQUIRE(form.has_value());
    const auto token = form.value().find("token");
    WARROOM_FUZZ_REQUIRE(token != form.value().end() && token->second == "fuzz-token");
    (void)webhook::parse_incident_command(decision.request->text);
  }
  if (form) {
    const auto again = webhook::parse_form(webhook::encode_form(form.value()), 1000);
    WARROOM_FUZZ_REQUIRE(again.has_value() && again.value() == form.value());
  }
  (void)webhook::parse_incident_command(body);
  return 0;
}
