// Reading the wait an upstream asks for: HTTP-dates, ISO-8601, and each vendor's header.
#include <gtest/gtest.h>

#include <warroom/retry/retry_after.hpp>

namespace warroom::retry::retry_after_test {
namespace {

using namespace std::chrono;
using namespace std::chrono_literals;

const wall_clock::time_point rfc_example = sys_days{1994y / November / 6} + 8h + 49min + 37s;
const wall_clock::time_point now = sys_days{2026y / November / 27} + 10h;

api::http_reply reply(unsigned status, std::vector<api::header> headers) {
  return api::http_reply{status, std::move(headers), {}};
}

TEST(ParseHttpDate, AcceptsTheThreeRfc9110Forms) {
  EXPECT_EQ(parse_http_date("Sun, 06 Nov 1994 08:49:37 GMT"), rfc_example);
  EXPECT_EQ(parse_http_date("Sunday, 06-Nov-94 08:49:37 GMT"), rfc_example);
  EXPECT_EQ(parse_http_date("Sun Nov  6 08:49:37 1994"), rfc_example);
  EXPECT_EQ(parse_http_date(" Fri, 27 Nov 2026 10:00:07 GMT "), now + 7s);
  EXPECT_EQ(parse_http_date("Sat, 01-Jan-50 00:00:00 GMT"), sys_days{2050y / January / 1});
}

TEST(ParseHttpDate, RejectsMalformedDates) {
  for (std::string_view bad :
       {"", "2", "GMT", "Sun, 06 Nov 1994 08:49:37", "Sun, 06 Nov 1994 08:49:37 CET",
        "Sun, 31 Feb 1994 08:49:37 GMT", "Sun, 06 Nov 1994 24:00:00 GMT",
        "Sun, 06 Foo 1994 08:49:37 GMT", "Sun, 06 Nov 1994 8:49:37 GMT",
        "Sun, 06 Nov 1994 08:49:37 GMT extra", "06 Nov 1994 08:49:37 GMT",
        "Sun, 106 Nov 1994 08:49:37 GMT", "Sun, 06 Nov 1994 08:49:37 08:49:37",
        "Sun Nov 6 1994 08:49:37", "Sun, Nov 06 1994 08:49:37 GMT"}) {
    EXPECT_EQ(parse_http_date(bad), std::nullopt) << bad;
  }
}

TEST(ParseIso8601, AcceptsJiraResetAndCommonVariants) {
  const auto expected = sys_days{2026y / March / 5} + 14h + 30min;
  EXPECT_EQ(parse_iso8601("2026-03-05T14:30Z"), expected);
  EXPECT_EQ(parse_iso8601("2026-03-05T14:30:00Z"), expected);
  EXPECT_EQ(parse_iso8601("2026-03-05T14:30:15.123Z"), expected + 15s);
  EXPECT_EQ(parse_iso8601("2026-03-05T15:30+01:00"), expected);
  EXPECT_EQ(parse_iso8601("2026-03-05T09:30:00-0500"), expected);
}

TEST(ParseIso8601, RejectsMalformedOrZonelessTimes) {
  for (std::string_view bad :
       {"", "2026-03-05", "2026-03-05T14:30", "2026-03-05T14:30+1", "2026-13-05T14:30Z",
        "2026-03-05T14:30Zjunk", "26-03-05T14:30Z", "2026-03-05T14:61Z"}) {
    EXPECT_EQ(parse_iso8601(bad), std::nullopt) << bad;
  }
}

TEST(RequestedDelay, RetryAfterDeltaSecondsOrDate) {
  EXPECT_EQ(requested_delay(reply(429, {{"Retry-After", "2"}}), now), 2s);
  EXPECT_EQ(requested_delay(reply(503, {{"retry-after", " 0 "}}), now), 0s);
  EXPECT_EQ(requested_delay(reply(503, {{"Retry-After", "Fri, 27 Nov 2026 10:00:07 GMT"}}), now),
            7s);
  EXPECT_EQ(requested_delay(reply(503, {{"Retry-After", "Fri, 27 Nov 2026 09:00:00 GMT"}}), now),
            0s)
      << "a moment in the past means: now";
  EXPECT_EQ(requested_delay(reply(503, {{"Retry-After", "soon"}}), now), std::nullopt);
  EXPECT_EQ(requested_delay(reply(503, {{"Retry-After", "-5"}}), now), std::nullopt);
  EXPECT_EQ(requested_delay(reply(503, {}), now), std::nullopt);
}

TEST(RequestedDelay, PagerDutyRateLimitResetIsSeconds) {
  EXPECT_EQ(
      requested_delay(reply(429, {{"ratelimit-limit", "960"}, {"ratelimit-reset", "17"}}), now),
      17s);
  EXPECT_EQ(requested_delay(reply(503, {{"ratelimit-reset", "17"}}), now), std::nullopt)
      << "window headers do not describe an outage";
  EXPECT_EQ(requested_delay(reply(429, {{"Retry-After", "3"}, {"ratelimit-reset", "17"}}), now),
            3s);
}

TEST(RequestedDelay, MattermostResetIsDeltaOrEpoch) {
  EXPECT_EQ(requested_delay(reply(429, {{"X-Ratelimit-Reset", "1"}}), now), 1s);
  const auto epoch = duration_cast<seconds>((now + 5s).time_since_epoch()).count();
  EXPECT_EQ(requested_delay(reply(429, {{"X-Ratelimit-Reset", std::to_string(epoch)}}), now), 5s);
  EXPECT_EQ(requested_delay(reply(429, {{"X-Ratelimit-Reset", "1441983590"}}), now), 0s)
      << "the documentation's example epoch lies in the past";
}

TEST(RequestedDelay, JiraResetIsIso8601) {
  EXPECT_EQ(requested_delay(reply(429, {{"X-RateLimit-Reset", "2026-11-27T10:01Z"}}), now), 60s);
  EXPECT_EQ(
      requested_delay(
          reply(429, {{"X-RateLimit-Reset", "2026-11-27T10:01Z"}, {"Retry-After", "4"}}), now),
      4s);
}

}  // namespace
}  // namespace warroom::retry::retry_after_test
