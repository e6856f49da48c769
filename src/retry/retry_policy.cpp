#include <algorithm>
#include <cmath>

#include <warroom/api/vendor_error.hpp>
#include <warroom/retry/retry_policy.hpp>

namespace warroom::retry {
namespace {

using std::chrono::milliseconds;

retry_decision make(retry_decision::verdict what, milliseconds delay, std::string reason) {
  return retry_decision{what, delay, std::move(reason)};
}

std::string describe(const attempt_outcome& outcome, std::string_view vendor_error) {
  if (const auto* failure = std::get_if<network_failure>(&outcome))
    return "network error: " + failure->reason;
  if (!vendor_error.empty()) return std::string(vendor_error);
  return api::http_status_error("upstream", std::get<api::http_reply>(outcome)).message;
}

// A draw in [0, 1) whatever the source returns: a misbehaving source must not produce a
// negative delay or one above the bound.
double unit_draw(const unit_random& random) {
  const double u = random ? random() : 0.0;
  if (!(u > 0.0)) return 0.0;  // also NaN
  return std::min(u, std::nextafter(1.0, 0.0));
}

std::string format_ms(milliseconds d) {
  return std::to_string(d.count()) + " ms";
}

}  // namespace

milliseconds backoff_bound(const retry_policy& policy, int attempt) {
  milliseconds bound = std::max(policy.base, milliseconds{0});
  // Doubling stops at the cap, so no power of two can overflow.
  for (int i = 1; i < attempt && bound < policy.cap; ++i)
    bound *= 2;
  return std::clamp(bound, milliseconds{0}, std::max(policy.cap, milliseconds{0}));
}

retry_decision decide_retry(const retry_policy& policy, const attempt_outcome& outcome,
                            const attempt_info& attempt, const unit_random& random,
                            std::string_view vendor_error) {
  using verdict = retry_decision::verdict;
  const auto* reply = std::get_if<api::http_reply>(&outcome);
  if (reply != nullptr && api::is_success(reply->status)) return make(verdict::done, {}, {});
  std::string reason = describe(outcome, vendor_error);
  if (reply != nullptr && !api::is_transient_status(reply->status))
    return make(verdict::fail, {}, std::move(reason));
  if (attempt.attempt >= policy.max_attempts)
    return make(verdict::fail, {},
                "gave up after " + std::to_string(attempt.attempt) + " attempts: " + reason);

  milliseconds delay{0};
  const auto requested = reply != nullptr ? requested_delay(*reply, attempt.now) : std::nullopt;
  if (requested) {
    delay = std::clamp(*requested, milliseconds{0}, policy.max_requested_delay);
  } else {
    const auto bound = backoff_bound(policy, attempt.attempt);
    delay = milliseconds{static_cast<milliseconds::rep>(
        std::floor(unit_draw(random) * static_cast<double>(bound.count())))};
  }
  const auto deadline = attempt.started + policy.give_up_after;
  if (attempt.now + delay > deadline)
    return make(verdict::fail, {},
                "gave up: the next attempt (in " + format_ms(delay) + ") would be more than " +
                    format_ms(policy.give_up_after) + " after the first: " + reason);
  return make(verdict::retry, delay, std::move(reason));
}

}  // namespace warroom::retry
