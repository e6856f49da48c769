#include "pagerduty_webhooks.hpp"

#include <warroom/util/url.hpp>
#include <warroom/webhook/pagerduty_signature.hpp>

#include "pagerduty_model.hpp"

namespace warroom::sim::pd {

result<subscription> parse_subscription(std::string id, const std::string& url) {
  const auto query = url.find('?');
  auto parsed = util::parse_url(url.substr(0, query));
  if (!parsed) return make_error("bad_request", "webhook url is not an absolute http(s) URL");
  std::string target = parsed->path.empty() ? "/" : parsed->path;
  if (query != std::string::npos) target += url.substr(query);
  return subscription{std::move(id), parsed->origin(), std::move(target), url};
}

nlohmann::json make_envelope(const std::string& event_id, const std::string& event_type,
                             std::int64_t occurred_ms, nlohmann::json agent, nlohmann::json data) {
  const auto dot = event_type.find('.');
  return {{"event",
           {{"id", event_id},
            {"event_type", event_type},
            {"resource_type", event_type.substr(0, dot)},
            {"occurred_at", iso_time(occurred_ms, true)},
            {"agent", std::move(agent)},
            {"client", nullptr},
            {"data", std::move(data)}}}};
}

outbound make_webhook(const subscription& to, const util::secret& secret,
                      const std::string& webhook_id, const nlohmann::json& envelope,
                      const std::string& incident_id) {
  outbound out;
  out.purpose = "webhook";
  out.call.method = api::http_method::post;
  out.call.origin = to.origin;
  out.call.target = to.target;
  out.call.body = envelope.dump();
  out.call.headers = {{"Content-Type", "application/json"},
                      {"User-Agent", "PagerDuty-Webhook/V3.0"},
                      {"X-Webhook-Id", webhook_id},
                      {"X-Webhook-Subscription", to.id}};
  if (!secret.empty())
    out.call.headers.push_back(
        {"X-PagerDuty-Signature", webhook::sign_pagerduty_body(out.call.body, secret)});
  out.correlation = {{"incident_id", incident_id},
                     {"event_type", envelope["event"]["event_type"]},
                     {"event_id", envelope["event"]["id"]},
                     {"webhook_id", webhook_id},
                     {"subscription", to.id}};
  return out;
}

}  // namespace warroom::sim::pd
