// intake: what to do with one inbound webhook or button click, decided from the raw request
// alone (DESIGN §1 step 2). Pure and thread-safe: the runtime stores what the decision says to
// store and only then answers. Nothing here touches the store, a socket or a clock.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include <warroom/util/secret.hpp>
#include <warroom/webhook/action_token.hpp>
#include <warroom/webhook/mattermost_action.hpp>
#include <warroom/webhook/pagerduty_event.hpp>

namespace warroom::webhook {

/// Outcomes, also the `outcome` label of warroom_webhooks_total.
enum class intake_outcome {
  accepted,
  duplicate,
  ignored,
  unauthorized,
  forbidden,
  malformed,
  unavailable
};
std::string_view to_string(intake_outcome outcome) noexcept;

/// Job kinds the dispatcher runs.
namespace job_kinds {
inline constexpr std::string_view open = "open";
inline constexpr std::string_view acknowledge = "acknowledge";
inline constexpr std::string_view resolve = "resolve";
inline constexpr std::string_view mirror = "mirror";  // reassign, priority, note, reopen, ...
}  // namespace job_kinds

/// What must be durably stored (delivery + job in one transaction) before answering 2xx.
struct stored_event {
  std::string source;       // "pagerduty" | "mattermost"
  std::string delivery_id;  // X-Webhook-Id, or the click's dedupe key
  std::string event_id;     // event.id ("" for clicks)
  std::string incident_id;
  std::string job_kind;  // "" = keep for dedupe only
  std::string payload;   // what the job reads: the raw PagerDuty body, or the click as JSON
};

/// An immediate answer: status, JSON body.
struct intake_reply {
  unsigned status = 200;
  std::string body;
};

struct intake_decision {
  intake_outcome outcome = intake_outcome::malformed;
  intake_reply reply;                 // the answer when `store` is empty
  std::optional<stored_event> store;  // when set: store first, then answer per store result
};

/// The job an event starts; "" for events we do not act on.
std::string_view job_kind_for(event_kind kind) noexcept;

/// PagerDuty V3 webhook: signature over the raw body first (401 when missing or no match), then
/// the envelope (400 when malformed), then ping/unknown/non-incident events (200, ignored), else
/// an event to store keyed by X-Webhook-Id (event.id when the header is absent).
intake_decision decide_pagerduty(std::string_view raw_body,
                                 std::optional<std::string_view> signature_header,
                                 std::optional<std::string_view> webhook_id,
                                 std::span<const util::secret> secrets);
/// The same, the body moved into the stored event's payload instead of copied (the intake route
/// owns the request's body; a 2 KB copy per webhook was its largest allocation).
intake_decision decide_pagerduty(std::string&& raw_body,
                                 std::optional<std::string_view> signature_header,
                                 std::optional<std::string_view> webhook_id,
                                 std::span<const util::secret> secrets);

/// A Mattermost button click, decided. `claims` and `click` are set when the click is valid.
struct click_decision {
  intake_decision decision;
  std::optional<action_claims> claims;
  std::optional<action_request> click;
};

/// Button callback: 400 when not a JSON object, 403 for a missing, forged, expired,
/// cross-incident or cross-channel token or an unknown action; else a job to store whose
/// delivery id is the click's dedupe key (a double click acts once).
click_decision decide_click(std::string_view raw_body, const action_keyring& keys,
                            std::int64_t now_unix);

/// The reply once the store answered: 202 accepted, 200 duplicate, 503 unavailable.
intake_reply pagerduty_reply(intake_outcome outcome);

/// The house JSON error body {"error": word, "message": sentence}.
std::string error_body(std::string_view word, std::string_view message);

}  // namespace warroom::webhook
