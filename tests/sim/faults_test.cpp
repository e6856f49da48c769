#include "faults.hpp"

#include <gtest/gtest.h>

namespace warroom::sim {
namespace {

using nlohmann::json;

fault_table table_with(const json& rule, const std::string& service = "pagerduty") {
  fault_table t;
  auto parsed = parse_fault_rule(rule);
  EXPECT_TRUE(parsed) << parsed.error().message;
  t.set(service, *parsed);
  return t;
}

TEST(FaultRule, RejectsBadValuesNamingTheKey) {
  EXPECT_FALSE(parse_fault_rule(json{{"error_rate", "lots"}}));
  EXPECT_FALSE(parse_fault_rule(json{{"error_rate", 1.5}}));
  EXPECT_FALSE(parse_fault_rule(json{{"error_rate", 0.6}, {"reset_rate", 0.6}}));
  EXPECT_FALSE(parse_fault_rule(json{{"latency_ms_min", 50}, {"latency_ms_max", 10}}));
  EXPECT_FALSE(parse_fault_rule(json{{"route_prefix", 3}}));
  const auto bad = parse_fault_rule(json{{"latency_ms", "slow"}});
  ASSERT_FALSE(bad);
  EXPECT_NE(bad.error().message.find("latency_ms"), std::string::npos);
  EXPECT_TRUE(parse_fault_rule(json{{"route_prefix", "/incidents"}, {"error_rate", 0.5}}));
}

TEST(FaultTable, ObservedRatesMatchTheConfiguredRates) {
  const auto t = table_with({{"error_rate", 0.3}, {"rate_limit_rate", 0.1}, {"reset_rate", 0.05}});
  std::mt19937_64 random(1234);
  int errors = 0, limited = 0, resets = 0;
  const int n = 10000;
  for (int i = 0; i < n; ++i) {
    const auto d = t.decide("pagerduty", "/incidents/Q1", random);
    errors += d.kind == fault_kind::error;
    limited += d.kind == fault_kind::rate_limit;
    resets += d.kind == fault_kind::reset;
  }
  EXPECT_NEAR(errors / double(n), 0.3, 0.02);
  EXPECT_NEAR(limited / double(n), 0.1, 0.015);
  EXPECT_NEAR(resets / double(n), 0.05, 0.01);
}

TEST(FaultTable, RandomLatencyStaysWithinBoundsAndFixedLatencyIsExact) {
  auto t = table_with({{"latency_ms_min", 20}, {"latency_ms_max", 40}});
  std::mt19937_64 random(99);
  bool saw_low = false, saw_high = false;
  for (int i = 0; i < 1000; ++i) {
    const auto d = t.decide("pagerduty", "/oncalls", random);
    ASSERT_GE(d.delay.count(), 20);
    ASSERT_LE(d.delay.count(), 40);
    saw_low |= d.delay.count() < 25;
    saw_high |= d.delay.count() > 35;
  }
  EXPECT_TRUE(saw_low && saw_high) << "the latency should spread over the range";
  t = table_with({{"latency_ms", 15}});
  EXPECT_EQ(t.decide("pagerduty", "/x", random).delay.count(), 15);
}

TEST(FaultTable, LongestRoutePrefixOfTheServiceDecides) {
  auto t = table_with({{"error_rate", 1.0}});
  t.set("pagerduty", *parse_fault_rule({{"route_prefix", "/oncalls"}}));  // no fault there
  std::mt19937_64 random(1);
  EXPECT_EQ(t.decide("pagerduty", "/incidents/Q1", random).kind, fault_kind::error);
  EXPECT_EQ(t.decide("pagerduty", "/oncalls", random).kind, fault_kind::none);
  EXPECT_EQ(t.decide("jira", "/incidents/Q1", random).kind, fault_kind::none);
  t.clear("pagerduty");
  EXPECT_EQ(t.decide("pagerduty", "/incidents/Q1", random).kind, fault_kind::none);
}

TEST(FaultTable, HoldIsDecidedByTheMatchingRuleOnly) {
  EXPECT_FALSE(parse_fault_rule(json{{"hold", "yes"}}));
  auto t = table_with({{"route_prefix", "/api/v4/posts"}, {"hold", true}}, "mattermost");
  std::mt19937_64 random(1);
  EXPECT_TRUE(t.decide("mattermost", "/api/v4/posts", random).hold);
  EXPECT_FALSE(t.decide("mattermost", "/api/v4/channels", random).hold);
  t.set("mattermost", *parse_fault_rule({{"route_prefix", "/api/v4/posts"}}));  // released
  EXPECT_FALSE(t.decide("mattermost", "/api/v4/posts", random).hold);
}

TEST(FaultResponse, RateLimitsCarryRetryAfterAndTheVendorsHeaders) {
  const fault_decision limited{std::chrono::milliseconds(0), fault_kind::rate_limit, 7};
  auto pd = fault_response("pagerduty", limited);
  auto header = [](const net::response& r, std::string_view name) {
    for (const auto& h : r.headers)
      if (api::header_name_equal(h.name, name)) return h.value;
    return std::string();
  };
  EXPECT_EQ(pd.status, 429u);
  EXPECT_EQ(header(pd, "Retry-After"), "7");
  EXPECT_EQ(header(pd, "ratelimit-reset"), "7");
  EXPECT_EQ(json::parse(pd.body)["error"]["code"], 2020);
  const auto mm = fault_response("mattermost", limited);
  EXPECT_EQ(mm.body, "limit exceeded\n");
  EXPECT_EQ(header(mm, "X-Ratelimit-Remaining"), "0");
  const auto jira = fault_response("jira", limited);
  EXPECT_TRUE(json::parse(jira.body).contains("errorMessages"));
}

TEST(FaultResponse, ServerErrorsUseEachVendorsErrorShape) {
  const fault_decision err{std::chrono::milliseconds(0), fault_kind::error, 1};
  EXPECT_EQ(fault_response("pagerduty", err).status, 503u);
  EXPECT_TRUE(json::parse(fault_response("pagerduty", err).body)["error"].contains("message"));
  EXPECT_EQ(json::parse(fault_response("mattermost", err).body)["status_code"], 503);
  EXPECT_TRUE(json::parse(fault_response("jira", err).body)["errorMessages"].is_array());
}

}  // namespace
}  // namespace warroom::sim
