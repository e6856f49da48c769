// Test fixture for the Jira fake: a seeded OPS project, request helpers for both API versions
// and the vendor files of tests/fixtures/jira. Header-only, used by the jira_*_test files.
#pragma once

#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "jira_fake.hpp"
#include "mm_jira_http.hpp"
#include "support/fixtures.hpp"

namespace warroom::sim::testing {

using nlohmann::json;

inline constexpr std::int64_t jira_t0 = 1'700'000'000'000;

/// A vendor file of tests/fixtures/jira; a discarded value when unreadable.
inline json jira_vendor_file(const std::string& name) {
  return json::parse(fixtures::read("jira/" + name), nullptr, false);
}

inline json adf(const std::string& text) {
  return {
      {"type", "doc"},
      {"version", 1},
      {"content", {{{"type", "paragraph"}, {"content", {{{"type", "text"}, {"text", text}}}}}}}};
}

class JiraFakeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const json seed = {
        {"email", "bot@example.com"},
        {"token", "api-token"},
        {"pat", "personal-token"},
        {"projects", {{{"key", "OPS"}, {"id", "10000"}, {"issue_types", {"Incident", "Task"}}}}},
        {"priorities", {"Highest", "High", "Medium", "Low", "Lowest"}}};
    ASSERT_TRUE(fake.seed(seed).has_value());
  }

  static std::string basic() { return "Basic " + base64_encode("bot@example.com:api-token"); }

  net::response send(std::string method, std::string target, const json& body = nullptr,
                     std::string auth = basic()) {
    net::request req;
    req.method = std::move(method);
    req.target = std::move(target);
    req.headers.push_back({"Host", "jira.test"});
    if (!auth.empty()) req.headers.push_back({"Authorization", std::move(auth)});
    if (!body.is_null()) req.body = body.dump();
    return fake.handle(req, now);
  }

  static json body(const net::response& r) { return json::parse(r.body, nullptr, false); }

  static json issue_fields(int version, json patch = json::object()) {
    json fields = {
        {"project", {{"key", "OPS"}}},
        {"issuetype", {{"name", "Incident"}}},
        {"summary", "[PD #37] Test"},
        {"description", version == 3 ? adf("PagerDuty incident") : json("PagerDuty incident")},
        {"priority", {{"name", "High"}}},
        {"labels", {"pagerduty", "pagerduty-Q2CK"}}};
    fields.update(patch);
    return {{"fields", std::move(fields)}};
  }

  std::string create_issue(int version = 3, json patch = json::object()) {
    const auto r = send("POST", api(version) + "/issue", issue_fields(version, std::move(patch)));
    EXPECT_EQ(r.status, 201u) << r.body;
    return body(r).value("key", "");
  }

  static std::string api(int version) { return "/rest/api/" + std::to_string(version); }

  jira_fake fake;
  std::int64_t now = jira_t0;
};

}  // namespace warroom::sim::testing
