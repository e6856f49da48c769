#include <nlohmann/json.hpp>

#include <warroom/webhook/intake.hpp>
#include <warroom/webhook/pagerduty_envelope.hpp>
#include <warroom/webhook/pagerduty_signature.hpp>

namespace warroom::webhook {
namespace {

intake_decision answer(intake_outcome outcome, unsigned status, std::string body) {
  return intake_decision{outcome, intake_reply{status, std::move(body)}, std::nullopt};
}

// The bodies of the answers every webhook gets, rendered once: this runs on every request.
const std::string& status_body(intake_outcome outcome) {
  static const std::string accepted = nlohmann::json{{"status", "accepted"}}.dump();
  static const std::string duplicate = nlohmann::json{{"status", "duplicate"}}.dump();
  static const std::string ignored = nlohmann::json{{"status", "ignored"}}.dump();
  return outcome == intake_outcome::accepted    ? accepted
         : outcome == intake_outcome::duplicate ? duplicate
                                                : ignored;
}

}  // namespace

std::string_view to_string(intake_outcome outcome) noexcept {
  switch (outcome) {
    case intake_outcome::accepted:
      return "accepted";
    case intake_outcome::duplicate:
      return "duplicate";
    case intake_outcome::ignored:
      return "ignored";
    case intake_outcome::unauthorized:
      return "unauthorized";
    case intake_outcome::forbidden:
      return "forbidden";
    case intake_outcome::malformed:
      return "malformed";
    case intake_outcome::unavailable:
      return "unavailable";
  }
  return "malformed";
}

std::string error_body(std::string_view word, std::string_view message) {
  return nlohmann::json{{"error", word}, {"message", message}}.dump(
      -1, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::string_view job_kind_for(event_kind kind) noexcept {
  switch (kind) {
    case event_kind::triggered:
      return job_kinds::open;
    case event_kind::acknowledged:
      return job_kinds::acknowledge;
    case event_kind::resolved:
      return job_kinds::resolve;
    case event_kind::unacknowledged:
    case event_kind::reopened:
    case event_kind::reassigned:
    case event_kind::escalated:
    case event_kind::delegated:
    case event_kind::priority_updated:
    case event_kind::annotated:
      return job_kinds::mirror;
    case event_kind::ping:
    case event_kind::other:
      return "";
  }
  return "";
}

intake_decision decide_pagerduty(std::string&& raw_body,
                                 std::optional<std::string_view> signature_header,
                                 std::optional<std::string_view> webhook_id,
                                 std::span<const util::secret> secrets) {
  if (!signature_header || signature_header->empty())
    return answer(intake_outcome::unauthorized, 401,
                  error_body("unauthorized", "missing X-PagerDuty-Signature"));
  if (!verify_pagerduty_signature(raw_body, *signature_header, secrets))
    return answer(intake_outcome::unauthorized, 401,
                  error_body("unauthorized", "no X-PagerDuty-Signature value matches"));

  // Only the envelope here: the answer waits on this, the job parses the whole body later.
  auto event = scan_pagerduty_envelope(raw_body);
  if (!event)
    return answer(intake_outcome::malformed, 400, error_body("bad_request", event.error().message));

  const std::string incident = std::move(event->incident_id);
  const std::string_view kind = job_kind_for(event->kind);
  if (kind.empty() || incident.empty())
    return answer(intake_outcome::ignored, 200, status_body(intake_outcome::ignored));

  stored_event store;
  store.source = "pagerduty";
  store.delivery_id = webhook_id && !webhook_id->empty() ? std::string(*webhook_id) : event->id;
  store.event_id = std::move(event->id);
  store.incident_id = incident;
  store.job_kind = std::string(kind);
  store.payload = std::move(raw_body);
  return intake_decision{intake_outcome::accepted, {}, std::move(store)};
}

intake_decision decide_pagerduty(std::string_view raw_body,
                                 std::optional<std::string_view> signature_header,
                                 std::optional<std::string_view> webhook_id,
                                 std::span<const util::secret> secrets) {
  return decide_pagerduty(std::string(raw_body), signature_header, webhook_id, secrets);
}

intake_reply pagerduty_reply(intake_outcome outcome) {
  switch (outcome) {
    case intake_outcome::accepted:
      return {202, status_body(intake_outcome::accepted)};
    case intake_outcome::duplicate:
      return {200, status_body(intake_outcome::duplicate)};
    default:
      return {503, error_body("unavailable", "the store cannot commit; retry later")};
  }
}

click_decision decide_click(std::string_view raw_body, const action_keyring& keys,
                            std::int64_t now_unix) {
  click_decision out;
  auto click = parse_action_request(raw_body);
  if (!click) {
    out.decision =
        answer(intake_outcome::malformed, 400, error_body("bad_request", click.error().message));
    return out;
  }
  const auto& ctx = click->context;
  if (ctx.action != "acknowledge" && ctx.action != "resolve") {
    out.decision =
        answer(intake_outcome::forbidden, 403, error_body("forbidden", "unknown action"));
    return out;
  }
  auto claims = verify_action_token(ctx.token, keys, ctx.action, ctx.incident_id, click->channel_id,
                                    now_unix);
  if (!claims) {
    // The reason word (expired, bad_signature, ...) helps the operator; it reveals no secret.
    out.decision = answer(intake_outcome::forbidden, 403,
                          error_body("forbidden", "button token refused: " + claims.error().code));
    return out;
  }
  nlohmann::json payload = {{"action", ctx.action},
                            {"incident_id", ctx.incident_id},
                            {"user_id", click->user_id},
                            {"user_name", click->user_name},
                            {"channel_id", click->channel_id},
                            {"post_id", click->post_id},
                            {"generation", claims->generation}};
  stored_event store;
  store.source = "mattermost";
  store.delivery_id = click_dedupe_key(*claims);
  store.incident_id = ctx.incident_id;
  store.job_kind = ctx.action;
  store.payload = payload.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  out.decision = intake_decision{intake_outcome::accepted, {}, std::move(store)};
  out.claims = std::move(*claims);
  out.click = std::move(*click);
  return out;
}

}  // namespace warroom::webhook
