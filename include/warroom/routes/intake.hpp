// The two inbound webhook endpoints: POST /webhooks/pagerduty and POST /webhooks/mattermost.
// They adapt webhook::intake decisions to the store: store first, answer after the commit.
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <string_view>

#include <warroom/config/config.hpp>
#include <warroom/net/server.hpp>
#include <warroom/store/async_store.hpp>
#include <warroom/telemetry/metrics.hpp>
#include <warroom/webhook/action_token.hpp>
#include <warroom/webhook/intake.hpp>

namespace warroom::routes {

struct intake_context {
  store::async_store* store = nullptr;
  telemetry::metrics* stats = nullptr;
  const config::config* cfg = nullptr;
  std::function<void()> on_job_stored;   // wakes the dispatcher; called on the serving thread
  std::function<std::int64_t()> now_ms;  // Unix ms; injected for tests
};

/// warroom_webhooks_total of one source, every outcome bound when the routes are made (so each
/// series shows from 0, and counting a webhook is one atomic add).
class webhook_counters {
 public:
  webhook_counters(telemetry::metrics& stats, std::string_view source);
  void add(webhook::intake_outcome outcome) const;

 private:
  // Indexed by intake_outcome, whose last value is `unavailable`.
  std::array<telemetry::counter, static_cast<std::size_t>(webhook::intake_outcome::unavailable) + 1>
      by_outcome_;
};

void add_intake_routes(net::router& routes, intake_context context);

}  // namespace warroom::routes
