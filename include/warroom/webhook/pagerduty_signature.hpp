// pagerduty_signature: the X-PagerDuty-Signature check of Webhooks V3 (NOTES §1.5). Pure and
// thread-safe; on the ingest hot path, so it allocates nothing while verifying.
#pragma once

#include <span>
#include <string>
#include <string_view>

#include <warroom/util/secret.hpp>
#include <warroom/webhook/hmac.hpp>

namespace warroom::webhook {

/// True when any `v1=<hex>` item of `signature_header` equals lowercase hex of
/// HMAC-SHA256(secret, raw_body) for any non-empty secret (several secrets and several items
/// allow zero-downtime rotation). Secrets are used as raw bytes, never base64-decoded. Items of
/// other versions are ignored, spaces around items are tolerated, and the comparison is constant
/// time. Only exact lowercase hex matches: PagerDuty sends lowercase, so uppercase is rejected.
/// An empty header, or one without a v1 item, is false.
bool verify_pagerduty_signature(std::string_view raw_body, std::string_view signature_header,
                                std::span<const util::secret> secrets);

/// The header value PagerDuty would send for `raw_body`: "v1=<lowercase hex>". For the simulator,
/// tests and benchmarks.
std::string sign_pagerduty_body(std::string_view raw_body, const util::secret& secret);

}  // namespace warroom::webhook
