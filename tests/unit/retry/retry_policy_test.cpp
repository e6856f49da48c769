// The retry policy with a scripted random source and an injected clock: exact delays, no sleeps.
#include <cmath>
#include <deque>

#include <gtest/gtest.h>

#include <warroom/retry/retry_policy.hpp>

namespace warroom::retry::retry_policy_test {
namespace {

using namespace std::chrono;
using namespace std::chrono_literals;

const wall_clock::time_point t0 = sys_days{2026y / November / 27} + 10h;

api::http_reply reply(unsigned status, std::vector<api::header> headers = {},
                      std::string body = {}) {
  return api::http_reply{status, std::move(headers), std::move(body)};
}

// Returns the scripted draws in order; a draw nobody scripted is a test failure.
unit_random scripted(std::deque<double> draws) {
  return [draws = std::move(draws)]() mutable {
    if (draws.empty()) {
      ADD_FAILURE() << "random source called more often than scripted";
      return 0.0;
    }
    const double u = draws.front();
    draws.pop_front();
    return u;
  };
}

const unit_random no_random = scripted({});

attempt_info at(int attempt, wall_clock::time_point now = t0) {
  return {attempt, t0, now};
}

TEST(RetryPolicy, BackoffBoundDoublesUpToTheCap) {
  const retry_policy p;
  EXPECT_EQ(backoff_bound(p, 1), 500ms);
  EXPECT_EQ(backoff_bound(p, 2), 1000ms);
  EXPECT_EQ(backoff_bound(p, 6), 16000ms);
  EXPECT_EQ(backoff_bound(p, 7), 30000ms);
  EXPECT_EQ(backoff_bound(p, 100000), 30000ms);
}

TEST(RetryPolicy, ThreeUnavailableThenOkTakesFourAttemptsWithinJitterBounds) {
  const retry_policy p;
  const std::vector<api::http_reply> replies = {reply(503), reply(503), reply(503), reply(200)};
  const std::vector<milliseconds> expected = {250ms, 999ms, 0ms};
  auto random = scripted({0.5, 0.999, 0.0});
  auto now = t0;
  int attempts = 0;
  for (const auto& r : replies) {
    ++attempts;
    const auto d = decide_retry(p, r, at(attempts, now), random);
    if (d.done()) break;
    ASSERT_TRUE(d.retry()) << d.reason;
    EXPECT_GE(d.delay, 0ms);
    EXPECT_LT(d.delay, backoff_bound(p, attempts));
    EXPECT_EQ(d.delay, expected[static_cast<std::size_t>(attempts - 1)]);
    EXPECT_NE(d.reason.find("HTTP 503"), std::string::npos) << d.reason;
    now += d.delay + 40ms;  // the wait, then the request itself
  }
  EXPECT_EQ(attempts, 4);
}

TEST(RetryPolicy, RetryAfterSecondsIsHonouredExactly) {
  const auto d = decide_retry(retry_policy{}, reply(429, {{"Retry-After", "2"}}), at(1), no_random);
  ASSERT_TRUE(d.retry()) << d.reason;
  EXPECT_EQ(d.delay, 2s);
}

TEST(RetryPolicy, RetryAfterHttpDateIsMeasuredFromNow) {
  const auto d =
      decide_retry(retry_policy{}, reply(503, {{"Retry-After", "Fri, 27 Nov 2026 10:00:09 GMT"}}),
                   at(3, t0 + 2s), no_random);
  ASSERT_TRUE(d.retry()) << d.reason;
  EXPECT_EQ(d.delay, 7s);
}

TEST(RetryPolicy, HugeRetryAfterIsClampedToTheMaximumRequestedDelay) {
  retry_policy p;
  const auto d = decide_retry(p, reply(429, {{"Retry-After", "86400"}}), at(1), no_random);
  ASSERT_TRUE(d.retry()) << d.reason;
  EXPECT_EQ(d.delay, p.max_requested_delay);
  p.max_requested_delay = 45s;
  EXPECT_EQ(decide_retry(p, reply(429, {{"Retry-After", "1e300"}}), at(1), no_random).delay, 45s);
}

TEST(RetryPolicy, RateLimitResetHeadersOn429) {
  EXPECT_EQ(
      decide_retry(retry_policy{}, reply(429, {{"ratelimit-reset", "17"}}), at(1), no_random).delay,
      17s);
  EXPECT_EQ(decide_retry(retry_policy{}, reply(429, {{"X-Ratelimit-Reset", "1"}}), at(1), no_random)
                .delay,
            1s);
  EXPECT_EQ(decide_retry(retry_policy{}, reply(429, {{"X-RateLimit-Reset", "2026-11-27T10:01Z"}}),
                         at(1), no_random)
                .delay,
            60s);
  // Without any hint a 429 falls back to the jittered backoff.
  EXPECT_EQ(decide_retry(retry_policy{}, reply(429), at(2), scripted({0.25})).delay, 250ms);
}

TEST(RetryPolicy, ClientErrorsFailAtOnceWithTheVendorsText) {
  const auto body = R"({"errorMessages":[],"errors":{"labels":"contains spaces"}})";
  const auto plain = decide_retry(retry_policy{}, reply(400, {}, body), at(1), no_random);
  ASSERT_TRUE(plain.fail());
  EXPECT_NE(plain.reason.find("HTTP 400"), std::string::npos) << plain.reason;
  EXPECT_NE(plain.reason.find("contains spaces"), std::string::npos) << plain.reason;
  const auto vendor = decide_retry(retry_policy{}, reply(400, {}, body), at(1), no_random,
                                   "jira answered HTTP 400: labels: contains spaces");
  ASSERT_TRUE(vendor.fail());
  EXPECT_EQ(vendor.reason, "jira answered HTTP 400: labels: contains spaces");
  for (unsigned status : {301u, 401u, 403u, 404u, 409u, 413u, 422u}) {
    const auto d =
        decide_retry(retry_policy{}, reply(status, {{"Retry-After", "1"}}), at(1), no_random);
    EXPECT_TRUE(d.fail()) << status;
  }
}

TEST(RetryPolicy, TransientStatusesAndNetworkErrorsRetry) {
  for (unsigned status : {408u, 429u, 500u, 502u, 503u, 504u}) {
    const auto d = decide_retry(retry_policy{}, reply(status), at(1), scripted({0.5}));
    EXPECT_TRUE(d.retry()) << status;
    EXPECT_EQ(d.delay, 250ms) << status;
  }
  const auto d =
      decide_retry(retry_policy{}, network_failure{"connection reset"}, at(4), scripted({0.5}));
  ASSERT_TRUE(d.retry());
  EXPECT_EQ(d.delay, 2000ms);
  EXPECT_EQ(d.reason, "network error: connection reset");
}

TEST(RetryPolicy, SuccessIsDone) {
  for (unsigned status : {200u, 201u, 204u})
    EXPECT_TRUE(decide_retry(retry_policy{}, reply(status), at(8), no_random).done()) << status;
}

TEST(RetryPolicy, MaxAttemptsEndsTheRetries) {
  retry_policy p;
  p.max_attempts = 3;
  EXPECT_TRUE(decide_retry(p, reply(503), at(2), scripted({0.1})).retry());
  const auto d = decide_retry(p, reply(503), at(3), no_random);
  ASSERT_TRUE(d.fail());
  EXPECT_NE(d.reason.find("gave up after 3 attempts"), std::string::npos) << d.reason;
  EXPECT_NE(d.reason.find("HTTP 503"), std::string::npos) << d.reason;
}

TEST(RetryPolicy, GiveUpAfterEndsTheRetries) {
  const retry_policy p;  // 10 minutes
  EXPECT_TRUE(decide_retry(p, reply(503), at(2, t0 + 9min), scripted({0.5})).retry());
  // 999 ms of jitter would start the next attempt after the 10-minute mark.
  const auto late = decide_retry(p, reply(503), at(2, t0 + 10min - 500ms), scripted({0.999}));
  ASSERT_TRUE(late.fail());
  EXPECT_NE(late.reason.find("gave up"), std::string::npos) << late.reason;
  EXPECT_TRUE(decide_retry(p, reply(503), at(2, t0 + 11min), scripted({0.0})).fail());
  // A requested wait that overruns the budget fails instead of being waited for.
  EXPECT_TRUE(
      decide_retry(p, reply(429, {{"Retry-After", "60"}}), at(2, t0 + 9min + 30s), no_random)
          .fail());
}

TEST(RetryPolicy, MisbehavingRandomSourcesStayInsideTheBound) {
  const retry_policy p;
  for (double u : {1.0, 7.5, -3.0, std::nan("")}) {
    const auto d = decide_retry(p, reply(500), at(2), scripted({u}));
    ASSERT_TRUE(d.retry());
    EXPECT_GE(d.delay, 0ms) << u;
    EXPECT_LT(d.delay, backoff_bound(p, 2)) << u;
  }
  EXPECT_TRUE(decide_retry(p, reply(500), at(1), unit_random{}).retry()) << "no source: zero delay";
}

}  // namespace
}  // namespace warroom::retry::retry_policy_test
