// The retry policy for outbound calls (DESIGN §6): after each attempt, decide whether the step
// is done, should be tried again after a delay, or has failed for good. Pure: the clock
// readings and the random source come in as parameters, so the executor owns time and chance
// and tests can script both. Thread-safe (no state).
#pragma once

#include <chrono>
#include <functional>
#include <string>
#include <string_view>
#include <variant>

#include <warroom/api/http_call.hpp>
#include <warroom/retry/retry_after.hpp>

namespace warroom::retry {

/// `outbound.retry` from the config.
struct retry_policy {
  std::chrono::milliseconds base{500};
  std::chrono::milliseconds cap{std::chrono::seconds(30)};
  int max_attempts = 8;  // attempts in total, the first one included
  std::chrono::milliseconds give_up_after{std::chrono::minutes(10)};  // since the first attempt
  /// Longest wait an upstream may ask for (Retry-After, rate-limit reset). Kept apart from
  /// `cap` because rate-limit windows are often a minute: retrying after `cap` would only be
  /// refused again. Longer requests are shortened to this.
  std::chrono::milliseconds max_requested_delay{std::chrono::minutes(2)};
};

/// An attempt that produced no HTTP reply: connect, TLS, timeout, reset.
struct network_failure {
  std::string reason;
  /// The request never left: no connection could be made to send it on (DNS, TCP connect), so
  /// the upstream cannot have acted on it.
  bool unsent = false;
};

using attempt_outcome = std::variant<network_failure, api::http_reply>;

/// Where the job stands when an attempt has finished.
struct attempt_info {
  int attempt = 1;                 // the attempt that just finished, 1 for the first
  wall_clock::time_point started;  // when the first attempt began
  wall_clock::time_point now;      // wall clock: HTTP-dates in Retry-After need it
};

/// A number uniform in [0, 1). Out-of-range results are clamped.
using unit_random = std::function<double()>;

struct retry_decision {
  enum class verdict { done, retry, fail };
  verdict what = verdict::fail;
  std::chrono::milliseconds delay{0};  // retry: wait this long before the next attempt
  std::string reason;                  // retry and fail: what went wrong, for logs and audit

  bool done() const { return what == verdict::done; }
  bool retry() const { return what == verdict::retry; }
  bool fail() const { return what == verdict::fail; }
};

/// The ceiling of the jittered backoff after `attempt` failed: min(cap, base * 2^(attempt-1)),
/// so base after the first attempt.
std::chrono::milliseconds backoff_bound(const retry_policy& policy, int attempt);

/// 2xx → done. Network failures, 408, 429 and 5xx → retry after the delay the reply asks for
/// (requested_delay, clamped to [0, max_requested_delay]) or else a delay uniform in
/// [0, backoff_bound) ("full jitter"). Any other status → fail at once. Retries end in fail
/// once `max_attempts` attempts were made or when the next attempt would start later than
/// `started + give_up_after`.
/// `vendor_error`: the vendor reader's text for a failed reply (e.g. jira_reply_error(r).message),
/// used as the reason; when empty the reason is the status and a bounded copy of the body.
retry_decision decide_retry(const retry_policy& policy, const attempt_outcome& outcome,
                            const attempt_info& attempt, const unit_random& random,
                            std::string_view vendor_error = {});

}  // namespace warroom::retry
