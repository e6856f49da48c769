#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <warroom/webhook/intake.hpp>
#include <warroom/webhook/pagerduty_signature.hpp>

namespace warroom::webhook::intake_test {
namespace {

const std::vector<util::secret> secrets = {util::secret("old-secret"), util::secret("new-secret")};

std::string incident_event(const std::string& type, const std::string& id = "Q1") {
  return nlohmann::json{{"event",
                         {{"id", "EV-" + type},
                          {"event_type", type},
                          {"resource_type", "incident"},
                          {"occurred_at", "2025-04-07T03:47:13.414Z"},
                          {"agent", nullptr},
                          {"data",
                           {{"id", id},
                            {"type", "incident"},
                            {"number", 7},
                            {"title", "db down"},
                            {"status", "triggered"},
                            {"urgency", "high"}}}}}}
      .dump();
}

TEST(DecidePagerDuty, SignedIncidentEventIsStoredKeyedByWebhookId) {
  const auto body = incident_event("incident.triggered");
  const auto sig = sign_pagerduty_body(body, secrets[1]);
  const auto d = decide_pagerduty(body, sig, std::string_view("WH-1"), secrets);
  ASSERT_TRUE(d.store.has_value());
  EXPECT_EQ(d.outcome, intake_outcome::accepted);
  EXPECT_EQ(d.store->source, "pagerduty");
  EXPECT_EQ(d.store->delivery_id, "WH-1");
  EXPECT_EQ(d.store->event_id, "EV-incident.triggered");
  EXPECT_EQ(d.store->incident_id, "Q1");
  EXPECT_EQ(d.store->job_kind, "open");
  EXPECT_EQ(d.store->payload, body);  // the raw bytes, never re-serialised
}

TEST(DecidePagerDuty, AMovedBodyDecidesTheSameAndBecomesThePayload) {
  const auto body = incident_event("incident.triggered");
  const auto sig = sign_pagerduty_body(body, secrets[0]);
  const auto copied = decide_pagerduty(body, sig, std::string_view("WH-2"), secrets);
  const auto moved = decide_pagerduty(std::string(body), sig, std::string_view("WH-2"), secrets);
  ASSERT_TRUE(copied.store && moved.store);
  EXPECT_EQ(moved.outcome, copied.outcome);
  EXPECT_EQ(moved.store->delivery_id, copied.store->delivery_id);
  EXPECT_EQ(moved.store->event_id, copied.store->event_id);
  EXPECT_EQ(moved.store->incident_id, copied.store->incident_id);
  EXPECT_EQ(moved.store->job_kind, copied.store->job_kind);
  EXPECT_EQ(moved.store->payload, body);
  // Refused or ignored, nothing is stored either way.
  const auto forged = decide_pagerduty(std::string(body), "v1=00", std::nullopt, secrets);
  EXPECT_EQ(forged.reply.status, 401u);
  EXPECT_FALSE(forged.store);
}

TEST(DecidePagerDuty, EventIdStandsInForAMissingWebhookId) {
  const auto body = incident_event("incident.acknowledged");
  const auto d =
      decide_pagerduty(body, sign_pagerduty_body(body, secrets[0]), std::nullopt, secrets);
  ASSERT_TRUE(d.store);
  EXPECT_EQ(d.store->delivery_id, "EV-incident.acknowledged");
  EXPECT_EQ(d.store->job_kind, "acknowledge");
}

TEST(DecidePagerDuty, BadOrMissingSignatureIs401BeforeParsing) {
  const std::string garbage = "not json at all";
  const std::string other_version = "v2=" + std::string(64, 'a');  // outlives the views below
  for (std::optional<std::string_view> header :
       {std::optional<std::string_view>{}, std::optional<std::string_view>(""),
        std::optional<std::string_view>("v1=deadbeef"),
        std::optional<std::string_view>(other_version)}) {
    const auto d = decide_pagerduty(garbage, header, std::nullopt, secrets);
    EXPECT_EQ(d.outcome, intake_outcome::unauthorized);
    EXPECT_EQ(d.reply.status, 401u);
    EXPECT_FALSE(d.store);
  }
  const auto body = incident_event("incident.triggered");
  const auto signed_by_other = sign_pagerduty_body(body, util::secret("someone-else"));
  EXPECT_EQ(decide_pagerduty(body, signed_by_other, std::nullopt, secrets).reply.status, 401u);
}

TEST(DecidePagerDuty, MalformedSignedBodyIs400) {
  for (std::string body : {"{", "[]", R"({"event":{}})",
                           R"({"event":{"id":"x","event_type":"incident.triggered","data":[]}})"}) {
    const auto d =
        decide_pagerduty(body, sign_pagerduty_body(body, secrets[0]), std::nullopt, secrets);
    EXPECT_EQ(d.outcome, intake_outcome::malformed) << body;
    EXPECT_EQ(d.reply.status, 400u);
    EXPECT_NE(d.reply.body.find("\"bad_request\""), std::string::npos);
  }
}

TEST(DecidePagerDuty, PingAndUnknownEventsAreIgnoredWith2xx) {
  const std::string ping =
      R"({"event":{"id":"P1","event_type":"pagey.ping","resource_type":"pagey","occurred_at":"x","agent":null,"client":null,"data":{"message":"Hello from your friend Pagey!","type":"ping"}}})";
  for (const auto& body :
       {ping, incident_event("incident.workflow.completed"), incident_event("service.updated")}) {
    const auto d =
        decide_pagerduty(body, sign_pagerduty_body(body, secrets[0]), std::nullopt, secrets);
    EXPECT_EQ(d.outcome, intake_outcome::ignored) << body;
    EXPECT_EQ(d.reply.status, 200u);
    EXPECT_FALSE(d.store);
  }
}

TEST(JobKind, MapsEveryActionableEvent) {
  EXPECT_EQ(job_kind_for(event_kind::triggered), "open");
  EXPECT_EQ(job_kind_for(event_kind::acknowledged), "acknowledge");
  EXPECT_EQ(job_kind_for(event_kind::resolved), "resolve");
  for (auto k : {event_kind::reassigned, event_kind::escalated, event_kind::priority_updated,
                 event_kind::annotated, event_kind::reopened, event_kind::unacknowledged})
    EXPECT_EQ(job_kind_for(k), "mirror");
  EXPECT_EQ(job_kind_for(event_kind::ping), "");
}

class DecideClick : public ::testing::Test {
 protected:
  action_keyring keys{{"current", util::secret("s1")}, {"previous", util::secret("s0")}};
  static constexpr std::int64_t now = 1'800'000'000;

  std::string click(const std::string& action, const std::string& incident,
                    const std::string& channel, const std::string& token) const {
    return nlohmann::json{
        {"user_id", "u1"},
        {"user_name", "alice"},
        {"channel_id", channel},
        {"post_id", "p1"},
        {"type", "button"},
        {"context", {{"action", action}, {"incident_id", incident}, {"token", token}}}}
        .dump();
  }
  std::string token(const std::string& action, const std::string& incident,
                    const std::string& channel, std::int64_t expires = now + 60,
                    const std::string& kid = "current", const char* secret = "s1") const {
    return sign_action_token({action, incident, channel, expires, 3}, kid, util::secret(secret));
  }
};

TEST_F(DecideClick, ValidClickStoresAJobWithTheClicker) {
  const auto d =
      decide_click(click("acknowledge", "Q1", "C1", token("acknowledge", "Q1", "C1")), keys, now);
  ASSERT_TRUE(d.decision.store);
  EXPECT_EQ(d.decision.store->job_kind, "acknowledge");
  EXPECT_EQ(d.decision.store->incident_id, "Q1");
  EXPECT_EQ(d.decision.store->delivery_id, "mattermost:Q1:acknowledge:3");
  const auto payload = nlohmann::json::parse(d.decision.store->payload);
  EXPECT_EQ(payload["user_id"], "u1");
  EXPECT_EQ(payload["user_name"], "alice");
}

TEST_F(DecideClick, TokenSignedWithThePreviousKeyStillWorks) {
  const auto t = token("resolve", "Q1", "C1", now + 60, "previous", "s0");
  EXPECT_TRUE(decide_click(click("resolve", "Q1", "C1", t), keys, now).decision.store);
}

TEST_F(DecideClick, EveryForgeryIs403AndStoresNothing) {
  const auto good = token("acknowledge", "Q1", "C1");
  const std::vector<std::pair<const char*, std::string>> forged = {
      {"missing token", click("acknowledge", "Q1", "C1", "")},
      {"garbage token", click("acknowledge", "Q1", "C1", "v1.x.y.z")},
      {"wrong secret", click("acknowledge", "Q1", "C1",
                             token("acknowledge", "Q1", "C1", now + 60, "current", "nope"))},
      {"expired", click("acknowledge", "Q1", "C1", token("acknowledge", "Q1", "C1", now))},
      {"other incident", click("acknowledge", "Q2", "C1", good)},
      {"other channel", click("acknowledge", "Q1", "C2", good)},
      {"other action", click("resolve", "Q1", "C1", good)},
      {"unknown action", click("delete", "Q1", "C1", good)},
      {"unknown key",
       click("acknowledge", "Q1", "C1", token("acknowledge", "Q1", "C1", now + 60, "other"))},
  };
  for (const auto& [name, body] : forged) {
    const auto d = decide_click(body, keys, now);
    EXPECT_EQ(d.decision.outcome, intake_outcome::forbidden) << name;
    EXPECT_EQ(d.decision.reply.status, 403u) << name;
    EXPECT_FALSE(d.decision.store) << name;
  }
}

TEST_F(DecideClick, MalformedBodyIs400) {
  for (const char* body : {"", "{", "[1]", R"({"context": 5})"}) {
    const auto d = decide_click(body, keys, now);
    EXPECT_EQ(d.decision.reply.status, 400u) << body;
  }
}

TEST(PagerDutyReply, AnswersAfterTheStore) {
  EXPECT_EQ(pagerduty_reply(intake_outcome::accepted).status, 202u);
  EXPECT_EQ(pagerduty_reply(intake_outcome::duplicate).status, 200u);
  EXPECT_EQ(pagerduty_reply(intake_outcome::unavailable).status, 503u);
}

}  // namespace
}  // namespace warroom::webhook::intake_test
