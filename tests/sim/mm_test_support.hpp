// Test fixture for the Mattermost fake: a seeded team with users, request helpers and AppError
// assertions. Header-only, used by the mattermost_fake / mm_*_test files.
#pragma once

#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "mattermost_fake.hpp"
#include "support/fixtures.hpp"

namespace warroom::sim::testing {

using nlohmann::json;

inline constexpr std::int64_t t0 = 1'700'000'000'000;
inline const std::string team_id = "tttttttttttttttttttttttttt";
inline const std::string bot_id = "bbbbbbbbbbbbbbbbbbbbbbbbbb";
inline const std::string alice_id = "aaaaaaaaaaaaaaaaaaaaaaaaaa";
inline const std::string carol_id = "cccccccccccccccccccccccccc";  // not on the team
inline const std::string mm_token = "mm-bot-token";

/// The vendor examples file (tests/fixtures/mattermost); a discarded value when unreadable.
inline json interactive_examples() {
  return json::parse(fixtures::read("mattermost/interactive-action-examples.json"), nullptr, false);
}

class MattermostFakeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const json seed = {{"token", mm_token},
                       {"team", {{"id", team_id}, {"name", "acme"}}},
                       {"bot_user_id", bot_id},
                       {"users",
                        {{{"id", bot_id}, {"username", "warroom"}, {"email", "bot@example.com"}},
                         {{"id", alice_id}, {"username", "alice"}, {"email", "Alice@Example.com"}},
                         {{"id", carol_id},
                          {"username", "carol"},
                          {"email", "carol@example.com"},
                          {"on_team", false}}}}};
    ASSERT_TRUE(fake.seed(seed).has_value());
  }

  net::response send(std::string method, std::string target, const json& body = nullptr,
                     std::string auth = "Bearer " + mm_token) {
    net::request req;
    req.method = std::move(method);
    req.target = std::move(target);
    if (!auth.empty()) req.headers.push_back({"Authorization", std::move(auth)});
    if (!body.is_null()) req.body = body.dump();
    return fake.handle(req, now);
  }

  static json body(const net::response& r) { return json::parse(r.body, nullptr, false); }

  static void expect_app_error(const net::response& r, unsigned status, std::string_view id) {
    EXPECT_EQ(r.status, status) << r.body;
    const json b = body(r);
    EXPECT_EQ(b.value("id", ""), id) << r.body;
    EXPECT_EQ(b.value("status_code", 0U), status);
    EXPECT_TRUE(b.contains("message") && b.contains("detailed_error") && b.contains("request_id"));
  }

  json channel_body(std::string name = "inc-42-api-bump") const {
    return {{"team_id", team_id}, {"name", std::move(name)}, {"display_name", "INC 42: API bump"},
            {"type", "O"},        {"purpose", "p"},          {"header", "h"}};
  }

  std::string create_channel(std::string name = "inc-42-api-bump") {
    const auto r = send("POST", "/api/v4/channels", channel_body(std::move(name)));
    EXPECT_EQ(r.status, 201u) << r.body;
    return body(r).value("id", "");
  }

  static json button(std::string id, std::string url = "https://warroom.example.com/hook") {
    return {{"id", std::move(id)},
            {"type", "button"},
            {"name", "Acknowledge"},
            {"integration",
             {{"url", std::move(url)}, {"context", {{"action", "acknowledge"}, {"token", "t"}}}}}};
  }

  static json card_props(json actions) {
    return {{"attachments", {{{"title", "INC 42"}, {"actions", std::move(actions)}}}},
            {"from_webhook", "true"}};
  }

  std::string create_post(const std::string& channel_id, const json& props) {
    const auto r = send("POST", "/api/v4/posts",
                        {{"channel_id", channel_id}, {"message", "card"}, {"props", props}});
    EXPECT_EQ(r.status, 201u) << r.body;
    return body(r).value("id", "");
  }

  json stored_post(const std::string& id) const {
    const json state = fake.state();  // a range-for over state()["posts"] would dangle
    for (const json& p : state["posts"])
      if (p["id"] == id) return p;
    return nullptr;
  }

  mattermost_fake fake;
  std::int64_t now = t0;
};

}  // namespace warroom::sim::testing
