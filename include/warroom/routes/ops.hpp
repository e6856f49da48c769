// The operational endpoints: /healthz, /readyz and /metrics.
#pragma once

#include <functional>
#include <string>

#include <warroom/net/server.hpp>
#include <warroom/telemetry/metrics.hpp>

namespace warroom::routes {

struct readiness {
  bool ready = false;
  std::string reason;  // why not ready ("store cannot commit: disk full"); never a secret
};

struct ops_context {
  telemetry::metrics* stats = nullptr;
  std::function<readiness()> check;  // called on the event loop thread; must not block
  std::string version;  // shown by /healthz, so `warroomd doctor` can say which build answers
};

/// Registers GET /healthz (200 while serving), GET /readyz (200 or 503 with the reason) and
/// GET /metrics (Prometheus text).
void add_ops_routes(net::router& routes, ops_context context);

}  // namespace warroom::routes
