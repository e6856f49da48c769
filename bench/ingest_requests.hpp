// ingest_requests: the load of ingest_bench, prepared before anything is timed: distinct, signed
// PagerDuty V3 `incident.triggered` webhooks, each a complete HTTP/1.1 request ready to write.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

namespace warroom::bench {

/// The secret both the generated signatures and warroomd's config use.
inline constexpr const char* bench_webhook_secret = "ingest-bench-webhook-secret";

/// `count` raw POST /webhooks/pagerduty requests. Request i has its own event id, X-Webhook-Id,
/// incident id and number, a JSON body of exactly `body_bytes` bytes (the title is padded; at
/// least the unpadded envelope, about 1.3 KB) and a valid X-PagerDuty-Signature for
/// `bench_webhook_secret`. Uses every core: it runs before the timed phases.
std::vector<std::string> make_signed_webhooks(std::size_t count, std::size_t body_bytes);

/// The body of one request made by make_signed_webhooks (for the README's figures and checks).
std::string_view body_of(const std::string& request);

}  // namespace warroom::bench
