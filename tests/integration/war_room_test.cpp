// The product, black-box: warroomd against warroom-sim (fakes of PagerDuty, Mattermost and Jira
// built from the vendor specs). Every request warroomd sent is checked against the vendors'
// OpenAPI schemas with tests/tools/check_requests.py (spec subsets in tests/fixtures/openapi).
#include "war_room_fixture.hpp"

namespace warroom::test {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;

TEST_F(WarRoom, TriggerAcknowledgeResolveEndToEnd) {
  const auto incident =
      control("/control/pagerduty/trigger", {{"title", "Checkout returns 500"},
                                             {"urgency", "high"},
                                             {"service_id", "PSVC001"}})["incident"];
  const std::string id = incident["id"];

  // The war room: one channel, one issue, one card with both buttons, responders invited.
  ASSERT_TRUE(eventually([&] { return card_posts(state("mattermost")).size() == 1; }))
      << state("mattermost").dump();
  ASSERT_TRUE(
      eventually([&] { return state("mattermost")["posts"].size() >= 2; }));  // + opening message
  auto mm = state("mattermost");
  ASSERT_EQ(mm["channels"].size(), 1u);
  const auto channel = mm["channels"][0];
  EXPECT_EQ(
      channel["display_name"],
      "INC " + std::to_string(incident["incident_number"].get<int>()) + ": Checkout returns 500");
  EXPECT_TRUE(mm["unopenable_names"].empty());
  EXPECT_TRUE(mm["unclickable_actions"].empty());
  const auto card = card_posts(mm)[0];
  const auto actions = card["props"]["attachments"][0]["actions"];
  ASSERT_EQ(actions.size(), 2u);
  auto jira = state("jira");
  ASSERT_EQ(jira["issues"].size(), 1u);
  const auto labels = jira["issues"][0]["labels"];
  EXPECT_NE(std::find(labels.begin(), labels.end(), "pagerduty-" + id), labels.end());
  // Nomad has no Mattermost account: named in the opening message, not a failure.
  bool named = false;
  for (const auto& p : mm["posts"])
    named = named || p["message"].get<std::string>().find("Nomad") != std::string::npos;
  EXPECT_TRUE(named);

  // Bob clicks Acknowledge: PagerDuty acknowledged as Bob, one message, the card loses the button.
  const std::string post_id = card["id"];
  control("/control/mattermost/click", {{"post_id", post_id},
                                        {"action_id", "acknowledge"},
                                        {"user_id", "bob0000000000000000000000b"}});
  ASSERT_TRUE(eventually([&] { return incident_in_pd(id)["status"] == "acknowledged"; }))
      << state("mattermost")["clicks"].dump();
  // The click's own answer shows the card without buttons until the job has run.
  ASSERT_TRUE(eventually([&] {
    const auto posts = card_posts(state("mattermost"));
    return posts.size() == 1 &&
           posts[0]["props"]["attachments"][0].value("actions", json::array()).size() == 1;
  }));
  const auto clicks = state("mattermost")["clicks"];
  ASSERT_EQ(clicks.size(), 1u);
  EXPECT_EQ(clicks[0]["integration_status"], 200);
  EXPECT_NE(clicks[0]["ephemeral_text"].get<std::string>(), "");

  // Carol resolves: PagerDuty resolved, Jira done, no buttons left.
  control(
      "/control/mattermost/click",
      {{"post_id", post_id}, {"action_id", "resolve"}, {"user_id", "carol00000000000000000000c"}});
  ASSERT_TRUE(eventually([&] { return incident_in_pd(id)["status"] == "resolved"; }));
  ASSERT_TRUE(eventually([&] {
    const auto issue = state("jira")["issues"][0];
    return issue.dump().find("\"done\"") != std::string::npos;
  })) << state("jira")["issues"][0].dump();
  ASSERT_TRUE(eventually([&] {
    const auto posts = card_posts(state("mattermost"));
    // Resolved, not the click's "in progress" card, which has no buttons either.
    return posts.size() == 1 && !posts[0]["props"]["attachments"][0].contains("actions") &&
           posts[0]["message"].get<std::string>().find("**Resolved**") != std::string::npos;
  })) << card_posts(state("mattermost")).dump();

  // Exactly one of everything, and PagerDuty's echoes of our own changes posted nothing twice.
  mm = state("mattermost");
  EXPECT_EQ(mm["channels"].size(), 1u);
  EXPECT_EQ(card_posts(mm).size(), 1u);
  EXPECT_EQ(state("jira")["issues"].size(), 1u);
  int acked = 0, resolved = 0;
  for (const auto& p : mm["posts"]) {
    const std::string m = p["message"];
    acked += m.find("Acknowledged by @bob") != std::string::npos;
    // Carol has no PagerDuty account: the change was made as from_email, and the message says so.
    resolved += m.find("Resolved on behalf of @carol") != std::string::npos;
  }
  EXPECT_EQ(acked, 1);
  EXPECT_EQ(resolved, 1) << mm["posts"].dump();

  // The record is saved right after the card is updated.
  EXPECT_TRUE(eventually([&] { return admin("/api/v1/incidents/" + id)["status"] == "resolved"; }));
  EXPECT_EQ(http_json(daemon_->port(), "GET", "/api/v1/incidents").status, 401u);
  check_requests_against_specs();
}

TEST_F(WarRoom, UpstreamFailuresAreRetriedWithoutDoublingAnything) {
  // Half of Jira's and Mattermost's answers fail, some are rate limited.
  control("/faults/jira", {{"error_rate", 0.3}, {"rate_limit_rate", 0.1}, {"retry_after_s", 0}});
  control("/faults/mattermost", {{"error_rate", 0.3}});
  const auto incident = control(
      "/control/pagerduty/trigger",
      {{"title", "Flaky upstreams"}, {"urgency", "low"}, {"service_id", "PSVC001"}})["incident"];
  ASSERT_TRUE(eventually(
      [&] {
        const auto admin = http_json(daemon_->port(), "GET",
                                     "/api/v1/incidents/" + incident["id"].get<std::string>(),
                                     nullptr, "Authorization: Bearer admin\r\n");
        if (admin.status != 200) return false;
        const auto& steps = admin.body["steps_done"];
        return std::find(steps.begin(), steps.end(), "open.complete") != steps.end();
      },
      60s));
  http_json(ports_["control"], "DELETE", "/faults");
  const auto mm = state("mattermost");
  EXPECT_EQ(mm["channels"].size(), 1u);
  EXPECT_EQ(card_posts(mm).size(), 1u);
  EXPECT_EQ(state("jira")["issues"].size(), 1u);
}

TEST_F(WarRoom, AReopenedIncidentPutsItsClosedIssueBackToWork) {
  const std::string id =
      control("/control/pagerduty/trigger", {{"title", "Disk full again"},
                                             {"urgency", "high"},
                                             {"service_id", "PSVC001"}})["incident"]["id"];
  const auto category = [&] {
    const auto issues = state("jira")["issues"];
    return issues.size() == 1 ? issues[0].value("status_category", "") : "";
  };
  ASSERT_TRUE(eventually([&] { return category() == "new"; })) << state("jira").dump();
  control("/control/pagerduty/resolve", {{"incident_id", id}});
  ASSERT_TRUE(eventually([&] { return category() == "done"; })) << state("jira").dump();

  // Acknowledging a resolved incident reopens it in PagerDuty: the issue is work again.
  control("/control/pagerduty/acknowledge", {{"incident_id", id}});
  ASSERT_TRUE(
      eventually([&] { return admin("/api/v1/incidents/" + id)["status"] == "acknowledged"; }));
  EXPECT_EQ(category(), "new") << state("jira").dump();

  // And the next resolve closes it again.
  control("/control/pagerduty/resolve", {{"incident_id", id}});
  ASSERT_TRUE(eventually([&] { return category() == "done"; })) << state("jira").dump();
  EXPECT_EQ(state("jira")["issues"].size(), 1u);
  check_requests_against_specs();
}

}  // namespace
}  // namespace warroom::test
