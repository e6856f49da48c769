// A whole simulator in-process on port 0, driven over HTTP like the daemon and the tests drive it.
#include <gtest/gtest.h>

#include <warroom/webhook/pagerduty_event.hpp>
#include <warroom/webhook/pagerduty_signature.hpp>

#include "pagerduty_fake.hpp"
#include "sim_test_support.hpp"
#include "support/http_json.hpp"
#if __has_include("mattermost_fake.hpp")
#include "mattermost_fake.hpp"
#define WARROOM_SIM_TEST_MATTERMOST 1
#endif

namespace warroom::sim {
namespace {

using nlohmann::json;
using testing::http;

const std::vector<api::header> pd_headers = {{"Authorization", "Token token=pd-secret-token"},
                                             {"Accept", "application/vnd.pagerduty+json;version=2"},
                                             {"Content-Type", "application/json"},
                                             {"From", "alice@example.com"}};

class Simulator : public ::testing::Test {
 protected:
  void SetUp() override {
    pagerduty_fake_options pd;
    pd.token = util::secret("pd-secret-token");
    pd.webhook_secret = util::secret("whsec");
    pd.webhook_urls = {receiver.url()};
    std::vector<std::unique_ptr<service>> services;
    services.push_back(std::make_unique<pagerduty_fake>(std::move(pd)));
#ifdef WARROOM_SIM_TEST_MATTERMOST
    services.push_back(std::make_unique<mattermost_fake>());
#endif
    simulator_options o;
    o.random_seed = 42;
    o.sender.retry_base = std::chrono::milliseconds(10);
    sim = std::make_unique<testing::running_simulator>(o, std::move(services));
    control = sim->port("control");
    pagerduty = sim->port("pagerduty");
    auto seeded = http(control, "POST", "/seed/pagerduty", R"({
      "users": [{"id": "PALICE1", "name": "Alice", "email": "alice@example.com"}],
      "escalation_policies": [{"id": "PEP0001", "name": "Ops", "levels": [["PALICE1"]]}]})");
    ASSERT_EQ(seeded.status, 200u) << seeded.body;
  }
  json post(const std::string& target, const json& body, unsigned want = 200) {
    auto a = http(control, "POST", target, body.dump());
    EXPECT_EQ(a.status, want) << target << ": " << a.body;
    return a.json();
  }

  testing::webhook_receiver receiver;
  std::unique_ptr<testing::running_simulator> sim;
  std::uint16_t control = 0, pagerduty = 0;
};

TEST_F(Simulator, ControlTriggerSendsASignedWebhookThatParses) {
  const auto inc = post("/control/pagerduty/trigger", {{"title", "Checkout down"}});
  const std::string id = inc["incident"]["id"];
  const auto got = receiver.wait_for(1);
  ASSERT_EQ(got.size(), 1u);
  const util::secret secrets[] = {util::secret("whsec")};
  EXPECT_TRUE(webhook::verify_pagerduty_signature(
      got[0].body, got[0].header_value("X-PagerDuty-Signature").value_or(""), secrets));
  EXPECT_EQ(got[0].header_value("User-Agent"), "PagerDuty-Webhook/V3.0");
  EXPECT_EQ(got[0].target, "/webhooks/pagerduty");
  const auto event = webhook::parse_pagerduty_event(got[0].body);
  ASSERT_TRUE(event);
  EXPECT_EQ(event->kind, webhook::event_kind::triggered);
  EXPECT_EQ(event->incident->id, id);
  json deliveries;
  // The outcome is recorded just after the receiver answers.
  test::eventually(
      [&] {
        deliveries = http(control, "GET", "/webhooks").json()["deliveries"];
        return !deliveries.empty() && deliveries[0]["outcome"] != "pending";
      },
      std::chrono::seconds(5));
  ASSERT_EQ(deliveries.size(), 1u);
  EXPECT_EQ(deliveries[0]["outcome"], "delivered");
  EXPECT_EQ(deliveries[0]["webhook_id"], *got[0].header_value("X-Webhook-Id"));
}

TEST_F(Simulator, JournalRecordsRequestsWithoutSecrets) {
  const std::string id = post("/control/pagerduty/trigger", {{"title", "t"}})["incident"]["id"];
  http(control, "DELETE", "/journal");
  const auto put =
      http(pagerduty, "PUT", "/incidents/" + id,
           R"({"incident":{"type":"incident_reference","status":"acknowledged"}})", pd_headers);
  ASSERT_EQ(put.status, 200u) << put.body;
  const auto journal = http(control, "GET", "/journal?service=pagerduty");
  EXPECT_EQ(journal.body.find("pd-secret-token"), std::string::npos) << journal.body;
  const auto requests = journal.json()["requests"];
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_EQ(requests[0]["method"], "PUT");
  EXPECT_EQ(requests[0]["path"], "/incidents/" + id);
  EXPECT_EQ(requests[0]["headers"]["From"], "alice@example.com");
  EXPECT_EQ(requests[0]["json"]["incident"]["status"], "acknowledged");
  EXPECT_EQ(requests[0]["status"], 200);
  const std::uint64_t seq = requests[0]["seq"];
  EXPECT_TRUE(
      http(control, "GET", "/journal?since=" + std::to_string(seq)).json()["requests"].empty());
}

TEST_F(Simulator, ErrorRateIsObservedOverManyRequests) {
  post("/faults/pagerduty", {{"route_prefix", "/oncalls"}, {"error_rate", 0.3}});
  testing::http_connection c(pagerduty);
  int errors = 0;
  const int n = 1000;
  for (int i = 0; i < n; ++i) {
    const auto a = c.send("GET", "/oncalls", pd_headers);
    ASSERT_TRUE(a.status == 200 || a.status == 503) << a.status;
    if (a.status == 503) {
      ++errors;
      EXPECT_TRUE(a.json()["error"].contains("message"));
    }
  }
  EXPECT_NEAR(errors / double(n), 0.3, 0.05);
  // Other routes of the service are untouched.
  for (int i = 0; i < 50; ++i)
    ASSERT_EQ(c.send("GET", "/users/PALICE1", pd_headers).status, 200u);
  const auto journal = http(control, "GET", "/journal?service=pagerduty").json()["requests"];
  int journaled = 0;
  for (const auto& r : journal)
    journaled += r["fault"] == "error";
  EXPECT_EQ(journaled, errors);
}

TEST_F(Simulator, RateLimitsAnswer429WithRetryAfter) {
  post("/faults/pagerduty", {{"rate_limit_rate", 1.0}, {"retry_after_s", 3}});
  const auto a = http(pagerduty, "GET", "/oncalls", "", pd_headers);
  EXPECT_EQ(a.status, 429u);
  EXPECT_EQ(a.header("Retry-After"), "3");
  EXPECT_EQ(a.header("ratelimit-reset"), "3");
  EXPECT_EQ(a.json()["error"]["code"], 2020);
  http(control, "DELETE", "/faults");
  EXPECT_EQ(http(pagerduty, "GET", "/oncalls", "", pd_headers).status, 200u);
}

TEST_F(Simulator, ResetsCloseTheConnectionWithoutAnAnswer) {
  post("/faults/pagerduty", {{"reset_rate", 1.0}});
  testing::http_connection c(pagerduty);
  const auto a = c.send("GET", "/oncalls", pd_headers);
  EXPECT_EQ(a.status, 0u);
  EXPECT_TRUE(a.head.empty() && a.body.empty());
  EXPECT_TRUE(c.closed());
  const auto journal = http(control, "GET", "/journal?service=pagerduty").json()["requests"];
  ASSERT_FALSE(journal.empty());
  EXPECT_EQ(journal.back()["fault"], "reset");
  EXPECT_EQ(journal.back()["status"], 0);
}

TEST_F(Simulator, InjectedLatencyDelaysEachRequestByAtLeastTheMinimum) {
  post("/faults/pagerduty", {{"latency_ms_min", 30}, {"latency_ms_max", 60}});
  testing::http_connection c(pagerduty);
  for (int i = 0; i < 10; ++i) {
    const auto start = std::chrono::steady_clock::now();
    ASSERT_EQ(c.send("GET", "/oncalls", pd_headers).status, 200u);
    EXPECT_GE(std::chrono::steady_clock::now() - start, std::chrono::milliseconds(30));
  }
  const auto journal = http(control, "GET", "/journal").json()["requests"];
  EXPECT_EQ(journal.back()["fault"], "latency");
}

TEST_F(Simulator, ControlApiRefusesWhatItCannotDo) {
  EXPECT_EQ(http(control, "GET", "/healthz").status, 200u);
  EXPECT_EQ(http(control, "GET", "/listeners").json()["pagerduty"], pagerduty);
  EXPECT_EQ(http(control, "POST", "/control/nosuch/trigger", "{}").status, 404u);
  EXPECT_EQ(http(control, "POST", "/control/pagerduty/explode", "{}").status, 404u);
  EXPECT_EQ(http(control, "POST", "/control/pagerduty/trigger", "{oops").status, 400u);
  EXPECT_EQ(http(control, "POST", "/faults/pagerduty", R"({"error_rate": 7})").status, 400u);
  EXPECT_EQ(http(control, "GET", "/journal?since=abc").status, 400u);
  const auto err = http(control, "POST", "/seed/pagerduty", R"({"users":[{"id":"P1"}]})");
  EXPECT_EQ(err.status, 400u);
  EXPECT_EQ(err.json()["error"], "bad_request");
  EXPECT_EQ(http(control, "GET", "/state/pagerduty").json()["users"].size(), 1u);
}

#ifdef WARROOM_SIM_TEST_MATTERMOST
TEST_F(Simulator, ButtonClicksReachTheIntegrationAndItsAnswerIsApplied) {
  const std::string team = "tttttttttttttttttttttttttt", bot = "bbbbbbbbbbbbbbbbbbbbbbbbbb",
                    alice = "aaaaaaaaaaaaaaaaaaaaaaaaaa";
  post("/seed/mattermost",
       {{"token", "mm-token"},
        {"team", {{"id", team}, {"name", "acme"}}},
        {"bot_user_id", bot},
        {"users",
         {{{"id", bot}, {"username", "warroom"}, {"email", "bot@example.com"}},
          {{"id", alice}, {"username", "alice"}, {"email", "alice@example.com"}}}}});
  const std::vector<api::header> auth = {{"Authorization", "Bearer mm-token"},
                                         {"Content-Type", "application/json"}};
  const auto mm = sim->port("mattermost");
  const auto channel =
      http(mm, "POST", "/api/v4/channels",
           json{{"team_id", team}, {"name", "inc-1-db"}, {"display_name", "INC 1"}, {"type", "O"}}
               .dump(),
           auth);
  ASSERT_EQ(channel.status, 201u) << channel.body;
  testing::webhook_receiver hook({200});
  const json button = {{"id", "acknowledge"},
                       {"type", "button"},
                       {"name", "Acknowledge"},
                       {"integration", {{"url", hook.url("/hook")}, {"context", {{"k", "v"}}}}}};
  const auto card = http(mm, "POST", "/api/v4/posts",
                         json{{"channel_id", channel.json()["id"]},
                              {"message", "card"},
                              {"props", {{"attachments", {{{"actions", {button}}}}}}}}
                             .dump(),
                         auth);
  ASSERT_EQ(card.status, 201u) << card.body;
  post("/control/mattermost/click",
       {{"post_id", card.json()["id"]}, {"action_id", "acknowledge"}, {"user_id", alice}});
  const auto got = hook.wait_for(1);
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].target, "/hook");
  EXPECT_EQ(json::parse(got[0].body)["user_id"], alice);
  json clicks;
  // The answer is applied just after the integration replies.
  test::eventually(
      [&] {
        clicks = http(control, "GET", "/state/mattermost").json()["clicks"];
        return !clicks.empty() && clicks[0]["integration_status"] != 0;
      },
      std::chrono::seconds(5));
  ASSERT_EQ(clicks.size(), 1u);
  EXPECT_EQ(clicks[0]["integration_status"], 200);
  const auto sent = http(control, "GET", "/webhooks?purpose=action").json()["deliveries"];
  ASSERT_EQ(sent.size(), 1u);
  EXPECT_EQ(sent[0]["attempts"], 1);
}
#endif

}  // namespace
}  // namespace warroom::sim
