// The two inbound webhook endpoints: POST /webhooks/pagerduty and POST /webhooks/mattermost.
// They adapt webhook::intake decisions to the store: store first, answer after the commit.
#pragma once

#include <cstdint>
#include <functional>

#include <warroom/config/config.hpp>
#include <warroom/net/server.hpp>
#include <warroom/store/sqlite_store.hpp>
#include <warroom/telemetry/metrics.hpp>
#include <warroom/webhook/action_token.hpp>

namespace warroom::routes {

struct intake_context {
  store::sqlite_store* store = nullptr;
  telemetry::metrics* stats = nullptr;
  const config::config* cfg = nullptr;
  std::function<void()> on_job_stored;   // wakes the dispatcher; called on the loop thread
  std::function<std::int64_t()> now_ms;  // Unix ms; injected for tests
};

void add_intake_routes(net::router& routes, intake_context context);

}  // namespace warroom::routes
