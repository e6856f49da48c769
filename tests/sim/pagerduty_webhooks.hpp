// pagerduty_webhooks: V3 webhook deliveries as PagerDuty sends them (NOTES §1): the envelope,
// the signature and the headers. Pure functions over values; thread-safe.
#pragma once

#include <cstdint>
#include <string>

#include <nlohmann/json.hpp>

#include <warroom/util/result.hpp>
#include <warroom/util/secret.hpp>

#include "service.hpp"

namespace warroom::sim::pd {

/// One subscriber (a webhook subscription's delivery target).
struct subscription {
  std::string id;      // sent as X-Webhook-Subscription
  std::string origin;  // "http://127.0.0.1:8080"
  std::string target;  // "/webhooks/pagerduty"
  std::string url;
};

/// Accepts absolute http(s) URLs; the path defaults to "/".
result<subscription> parse_subscription(std::string id, const std::string& url);

/// {"event": {id, event_type, resource_type, occurred_at, agent, client, data}}. `agent` is a
/// user_reference or null (automation).
nlohmann::json make_envelope(const std::string& event_id, const std::string& event_type,
                             std::int64_t occurred_ms, nlohmann::json agent, nlohmann::json data);

/// The signed POST for one subscriber. `webhook_id` is the X-Webhook-Id, the same on every retry;
/// `incident_id` keeps one incident's deliveries in order (sim::outbound::correlation).
outbound make_webhook(const subscription& to, const util::secret& secret,
                      const std::string& webhook_id, const nlohmann::json& envelope,
                      const std::string& incident_id);

}  // namespace warroom::sim::pd
