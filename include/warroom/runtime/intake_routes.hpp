// The two inbound webhook endpoints: POST /webhooks/pagerduty and POST /webhooks/mattermost.
// They adapt webhook::intake decisions to the store: store first, answer after the commit.
#pragma once

#include <cstdint>
#include <functional>

#include <warroom/config/config.hpp>
#include <warroom/net/server.hpp>
#include <warroom/runtime/metrics.hpp>
#include <warroom/store/sqlite_store.hpp>
#include <warroom/webhook/action_token.hpp>

namespace warroom::runtime {

struct intake_context {
  store::sqlite_store* store = nullptr;
  metrics* stats = nullptr;
  const config::config* cfg = nullptr;
  std::function<void()> on_job_stored;   // wakes the dispatcher; called on the loop thread
  std::function<std::int64_t()> now_ms;  // Unix ms; injected for tests
};

/// The button-token keyring: the current action_secret first, then the previous ones. A key's id
/// is derived from the secret itself, so rotating needs no extra configuration.
webhook::action_keyring action_keyring_of(const config::mattermost_config& cfg);

void add_intake_routes(net::router& routes, intake_context context);

}  // namespace warroom::runtime
