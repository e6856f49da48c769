#include "pagerduty_fake.hpp"

#include <gtest/gtest.h>

#include <warroom/webhook/pagerduty_event.hpp>
#include <warroom/webhook/pagerduty_signature.hpp>

namespace warroom::sim {
namespace {

using nlohmann::json;

constexpr std::int64_t t0 = 1743997633414;  // 2025-04-07T03:47:13.414Z
const std::string from_missing =
    R"({"error":{"code":2016,"message":"You must specify a user's email address in the \"From\" header to perform this action"}})";

class PagerDutyFake : public ::testing::Test {
 protected:
  void SetUp() override {
    pagerduty_fake_options o;
    o.token = util::secret("tok");
    o.webhook_secret = util::secret("whsec");
    o.webhook_urls = {"http://127.0.0.1:9/webhooks/pagerduty"};
    fake = std::make_unique<pagerduty_fake>(std::move(o));
    ASSERT_TRUE(fake->seed(json::parse(R"({
      "users": [{"id": "PALICE1", "name": "Alice", "email": "alice@example.com"},
                {"id": "PBOB001", "name": "Bob", "email": "bob@example.com"},
                {"id": "PCAROL1", "name": "Carol", "email": "carol@example.com"}],
      "escalation_policies": [{"id": "PEP0001", "name": "Ops", "levels": [["PALICE1", "PBOB001"], ["PCAROL1"]]},
                              {"id": "PEP0002", "name": "Other", "levels": [["PCAROL1"]]}],
      "services": [{"id": "PSV0001", "name": "API", "escalation_policy_id": "PEP0001"}]})")));
    auto inc = fake->control("trigger", {{"title", "DB down"}, {"service_id", "PSV0001"}}, t0);
    ASSERT_TRUE(inc) << inc.error().message;
    id = (*inc)["incident"]["id"];
  }

  net::response call(std::string method, std::string target, std::string body = "",
                     std::string from = "alice@example.com") {
    net::request r{std::move(method),
                   std::move(target),
                   {{"Authorization", "Token token=tok"},
                    {"Accept", "application/vnd.pagerduty+json;version=2"},
                    {"Content-Type", "application/json"}},
                   std::move(body),
                   "127.0.0.1:1"};
    if (!from.empty()) r.headers.push_back({"From", from});
    return fake->handle(r, t0 + 1000);
  }
  net::response put_status(const std::string& status, std::string extra = "") {
    return call(
        "PUT", "/incidents/" + id,
        R"({"incident":{"type":"incident_reference","status":")" + status + "\"" + extra + "}}");
  }
  /// The webhooks queued since the last call, checked for signature and headers, parsed.
  std::vector<webhook::pagerduty_event> webhooks() {
    std::vector<webhook::pagerduty_event> out;
    const util::secret secrets[] = {util::secret("whsec")};
    for (const auto& o : fake->take_outbox()) {
      EXPECT_EQ(o.purpose, "webhook");
      EXPECT_EQ(o.call.origin, "http://127.0.0.1:9");
      EXPECT_EQ(o.call.target, "/webhooks/pagerduty");
      EXPECT_EQ(o.call.header_value("User-Agent"), "PagerDuty-Webhook/V3.0");
      EXPECT_TRUE(o.call.header_value("X-Webhook-Id").has_value());
      EXPECT_TRUE(o.call.header_value("X-Webhook-Subscription").has_value());
      EXPECT_TRUE(webhook::verify_pagerduty_signature(
          o.call.body, o.call.header_value("X-PagerDuty-Signature").value_or(""), secrets));
      auto parsed = webhook::parse_pagerduty_event(o.call.body);
      EXPECT_TRUE(parsed) << o.call.body;
      if (parsed) out.push_back(*parsed);
    }
    return out;
  }

  std::unique_ptr<pagerduty_fake> fake;
  std::string id;
};

TEST_F(PagerDutyFake, WrongTokenIsRefusedWith401AndCode2006) {
  net::request r{"GET",
                 "/incidents/" + id,
                 {{"Authorization", "Token token=nope"},
                  {"Accept", "application/vnd.pagerduty+json;version=2"}},
                 "",
                 ""};
  auto res = fake->handle(r, t0);
  EXPECT_EQ(res.status, 401u);
  EXPECT_EQ(res.body, R"({"error":{"code":2006,"message":"Authentication failed"}})");
  r.headers[0].value = "Bearer tok";  // the exact "Token token=" form is required
  EXPECT_EQ(fake->handle(r, t0).status, 401u);
}

TEST_F(PagerDutyFake, MissingVersionedAcceptIsRefused) {
  net::request r{"GET", "/incidents/" + id, {{"Authorization", "Token token=tok"}}, "", ""};
  auto res = fake->handle(r, t0);
  EXPECT_EQ(res.status, 400u);
  EXPECT_EQ(json::parse(res.body)["error"]["code"], 2001);
  r.headers.push_back({"Accept", "application/json"});
  EXPECT_EQ(fake->handle(r, t0).status, 400u);
}

TEST_F(PagerDutyFake, UpdatesAndNotesNeedTheEmailOfAKnownUserInFrom) {
  for (const std::string from : {"", "stranger@example.com"}) {
    auto res = call("PUT", "/incidents/" + id,
                    R"({"incident":{"type":"incident_reference","status":"acknowledged"}})", from);
    EXPECT_EQ(res.status, 400u);
    EXPECT_EQ(res.body, from_missing);
    res = call("POST", "/incidents/" + id + "/notes", R"({"note":{"content":"hi"}})", from);
    EXPECT_EQ(res.status, 400u);
    EXPECT_EQ(res.body, from_missing);
  }
  EXPECT_EQ(json::parse(fake->state().dump())["incidents"][0]["status"], "triggered");
  EXPECT_EQ(call("PUT", "/incidents/" + id,
                 R"({"incident":{"type":"incident_reference","status":"acknowledged"}})",
                 "ALICE@example.com")
                .status,
            200u)
      << "emails match case-insensitively";
}

TEST_F(PagerDutyFake, TriggerAssignsLevelOneAndSendsASignedTriggeredWebhook) {
  const auto events = webhooks();
  ASSERT_EQ(events.size(), 1u);
  const auto& e = events[0];
  EXPECT_EQ(e.kind, webhook::event_kind::triggered);
  EXPECT_EQ(e.resource_type, "incident");
  EXPECT_EQ(e.occurred_at, "2025-04-07T03:47:13.414Z");
  EXPECT_FALSE(e.agent.has_value()) << "control-API automation has no agent";
  ASSERT_TRUE(e.incident);
  EXPECT_EQ(e.incident->id, id);
  EXPECT_EQ(e.incident->number, 1);
  EXPECT_EQ(e.incident->title, "DB down");
  EXPECT_EQ(e.incident->urgency, "high");
  EXPECT_EQ(e.incident->escalation_policy.id, "PEP0001");
  EXPECT_EQ(e.incident->service.summary, "API");
  ASSERT_EQ(e.incident->assignees.size(), 2u);
  EXPECT_EQ(e.incident->assignees[1].id, "PBOB001");
  EXPECT_EQ(e.incident->html_url, "https://sim.pagerduty.example/incidents/" + id);
  EXPECT_EQ(id.size(), 14u);
  EXPECT_EQ(id[0], 'Q');
}

TEST_F(PagerDutyFake, EveryIncidentHasAServiceOnItsPolicy) {
  auto other = fake->control("trigger", {{"title", "t"}, {"escalation_policy_id", "PEP0002"}}, t0);
  ASSERT_TRUE(other);
  const auto service = (*other)["incident"]["service"];
  EXPECT_FALSE(service["id"].get<std::string>().empty());
  const std::string service_id = service["id"];
  auto again = fake->control("trigger", {{"title", "u"}, {"escalation_policy_id", "PEP0002"}}, t0);
  EXPECT_EQ((*again)["incident"]["service"]["id"], service_id) << "the same service is reused";
  EXPECT_EQ((*again)["incident"]["incident_number"], 3);
  EXPECT_FALSE(fake->control("trigger", {{"title", "t"}, {"service_id", "PNOPE00"}}, t0));
  EXPECT_FALSE(fake->control("trigger", {{"title", "t"}, {"urgency", "medium"}}, t0));
  EXPECT_FALSE(fake->control("trigger", json::object(), t0));
}

TEST_F(PagerDutyFake, AcknowledgeOnceThenIdempotently) {
  webhooks();
  auto res = put_status("acknowledged");
  ASSERT_EQ(res.status, 200u) << res.body;
  const auto body = json::parse(res.body)["incident"];
  EXPECT_EQ(body["status"], "acknowledged");
  EXPECT_EQ(body["acknowledgements"][0]["acknowledger"]["id"], "PALICE1");
  auto events = webhooks();
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].kind, webhook::event_kind::acknowledged);
  ASSERT_TRUE(events[0].agent);
  EXPECT_EQ(events[0].agent->id, "PALICE1");
  EXPECT_EQ(events[0].agent->type, "user_reference");
  EXPECT_EQ(put_status("acknowledged").status, 200u);
  EXPECT_TRUE(webhooks().empty()) << "a repeated acknowledge changes no status";
}

TEST_F(PagerDutyFake, ResolveWithResolutionAddsAResolutionNoteThenRefusesASecondResolve) {
  webhooks();
  auto res = put_status("resolved", R"(,"resolution":"rolled back")");
  ASSERT_EQ(res.status, 200u) << res.body;
  EXPECT_EQ(json::parse(res.body)["incident"]["resolved_at"], "2025-04-07T03:47:14Z");
  auto events = webhooks();
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[0].kind, webhook::event_kind::resolved);
  EXPECT_TRUE(events[0].incident->assignees.empty());
  EXPECT_EQ(events[1].kind, webhook::event_kind::annotated);
  ASSERT_TRUE(events[1].note);
  EXPECT_EQ(events[1].note->content, "Resolution Note: rolled back");
  EXPECT_EQ(events[1].note->incident_id, id);
  res = put_status("resolved");
  EXPECT_EQ(res.status, 400u);
  EXPECT_EQ(json::parse(res.body)["error"]["code"], 1001);
  EXPECT_TRUE(webhooks().empty());
}

TEST_F(PagerDutyFake, AcknowledgingAResolvedIncidentReopensItAsTheSpecSays) {
  put_status("resolved");
  webhooks();
  ASSERT_EQ(put_status("acknowledged").status, 200u);
  const auto events = webhooks();
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[0].kind, webhook::event_kind::reopened);
  EXPECT_EQ(events[1].kind, webhook::event_kind::acknowledged);
  EXPECT_EQ(events[1].incident->assignees.at(0).id, "PALICE1");
}

TEST_F(PagerDutyFake, InvalidUpdatesChangeNothing) {
  webhooks();
  EXPECT_EQ(call("PUT", "/incidents/" + id, "not json").status, 400u);
  EXPECT_EQ(call("PUT", "/incidents/" + id, R"({"incident":{"status":"resolved"}})").status, 400u);
  EXPECT_EQ(put_status("closed").status, 400u);
  EXPECT_EQ(put_status("acknowledged", R"(,"resolution":"x")").status, 400u);
  EXPECT_EQ(put_status("resolved", R"(,"priority":"P9")").status, 400u);
  EXPECT_EQ(call("PUT", "/incidents/QNOPE", R"({"incident":{"type":"incident"}})").status, 404u);
  EXPECT_EQ(fake->state()["incidents"][0]["status"], "triggered");
  EXPECT_TRUE(webhooks().empty());
}

TEST_F(PagerDutyFake, PriorityAndAssignmentChangesSendTheirWebhooks) {
  webhooks();
  auto res = call("PUT", "/incidents/" + id,
                  R"({"incident":{"type":"incident_reference","priority":"P1",
                      "assignments":[{"assignee":{"id":"PCAROL1","type":"user_reference"}}]}})");
  ASSERT_EQ(res.status, 200u) << res.body;
  EXPECT_EQ(json::parse(res.body)["incident"]["priority"]["summary"], "P1");
  const auto events = webhooks();
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[0].kind, webhook::event_kind::priority_updated);
  ASSERT_TRUE(events[0].incident->priority);
  EXPECT_EQ(events[0].incident->priority->summary, "P1");
  EXPECT_EQ(events[1].kind, webhook::event_kind::reassigned);
  EXPECT_EQ(events[1].incident->assignees.at(0).id, "PCAROL1");
}

TEST_F(PagerDutyFake, NotesAnswer200AndAnnounceTheNote) {
  webhooks();
  auto res = call("POST", "/incidents/" + id + "/notes", R"({"note":{"content":"on it"}})");
  ASSERT_EQ(res.status, 200u) << res.body;
  const auto note = json::parse(res.body)["note"];
  EXPECT_EQ(note["content"], "on it");
  EXPECT_EQ(note["user"]["id"], "PALICE1");
  const auto events = webhooks();
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].data_type, "incident_note");
  EXPECT_EQ(events[0].note->content, "on it");
  EXPECT_EQ(webhook::incident_id_of(events[0]), id);
  EXPECT_EQ(call("POST", "/incidents/" + id + "/notes", R"({"note":{}})").status, 400u);
  EXPECT_EQ(json::parse(call("GET", "/incidents/" + id + "/notes").body)["notes"].size(), 1u);
}

TEST_F(PagerDutyFake, OncallsFilterExpandAndPaginate) {
  auto res =
      call("GET", "/oncalls?escalation_policy_ids%5B%5D=PEP0001&include%5B%5D=users&limit=2");
  ASSERT_EQ(res.status, 200u) << res.body;
  auto body = json::parse(res.body);
  ASSERT_EQ(body["oncalls"].size(), 2u);
  EXPECT_EQ(body["more"], true);
  EXPECT_EQ(body["limit"], 2);
  EXPECT_TRUE(body["total"].is_null());
  EXPECT_EQ(body["oncalls"][0]["user"]["email"], "alice@example.com");
  EXPECT_EQ(body["oncalls"][0]["user"]["type"], "user");
  EXPECT_EQ(body["oncalls"][0]["escalation_level"], 1);
  body = json::parse(
      call("GET", "/oncalls?escalation_policy_ids[]=PEP0001&limit=2&offset=2&total=true").body);
  ASSERT_EQ(body["oncalls"].size(), 1u);
  EXPECT_EQ(body["more"], false);
  EXPECT_EQ(body["total"], 3);
  EXPECT_EQ(body["oncalls"][0]["escalation_level"], 2);
  EXPECT_EQ(body["oncalls"][0]["user"]["type"], "user_reference");
  EXPECT_FALSE(body["oncalls"][0]["user"].contains("email"));
  body = json::parse(call("GET", "/oncalls").body);
  EXPECT_EQ(body["oncalls"].size(), 4u) << "no filter: every policy";
  EXPECT_EQ(body["limit"], 25);
  EXPECT_EQ(json::parse(call("GET", "/oncalls?limit=1000").body)["limit"], 100);
  EXPECT_EQ(call("GET", "/oncalls?limit=abc").status, 400u);
}

TEST_F(PagerDutyFake, UsersByIdAndByQuery) {
  auto res = call("GET", "/users/PBOB001");
  ASSERT_EQ(res.status, 200u);
  EXPECT_EQ(json::parse(res.body)["user"]["email"], "bob@example.com");
  EXPECT_EQ(call("GET", "/users/PNOPE01").status, 404u);
  EXPECT_EQ(json::parse(call("GET", "/users/PNOPE01").body)["error"]["code"], 2100);
  const auto users = json::parse(call("GET", "/users?query=CAROL%40example").body)["users"];
  ASSERT_EQ(users.size(), 1u);
  EXPECT_EQ(users[0]["id"], "PCAROL1");
}

TEST_F(PagerDutyFake, EveryChangeReachesEverySubscriberWithItsOwnWebhookId) {
  ASSERT_TRUE(fake->subscribe("http://127.0.0.1:10/second"));
  webhooks();
  put_status("acknowledged");
  const auto out = fake->take_outbox();
  ASSERT_EQ(out.size(), 2u);
  EXPECT_NE(out[0].call.header_value("X-Webhook-Id"), out[1].call.header_value("X-Webhook-Id"));
  EXPECT_NE(out[0].call.header_value("X-Webhook-Subscription"),
            out[1].call.header_value("X-Webhook-Subscription"));
  EXPECT_EQ(json::parse(out[0].call.body)["event"]["id"],
            json::parse(out[1].call.body)["event"]["id"]);
  EXPECT_EQ(out[1].call.target, "/second");
  EXPECT_EQ(out[0].correlation["incident_id"], id);
}

TEST_F(PagerDutyFake, ControlVerbsActAsTheNamedUser) {
  webhooks();
  auto done = fake->control("acknowledge", {{"incident_id", id}, {"from", "bob@example.com"}}, t0);
  ASSERT_TRUE(done) << done.error().message;
  auto events = webhooks();
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].agent->id, "PBOB001");
  ASSERT_TRUE(fake->control("add_note", {{"incident_id", id}, {"content", "x"}}, t0));
  ASSERT_TRUE(fake->control("set_priority", {{"incident_id", id}, {"priority", "P2"}}, t0));
  ASSERT_TRUE(fake->control("reassign", {{"incident_id", id}, {"user_ids", {"PCAROL1"}}}, t0));
  ASSERT_TRUE(fake->control("resolve", {{"incident_id", id}}, t0));
  events = webhooks();
  ASSERT_EQ(events.size(), 4u);
  EXPECT_EQ(events[3].kind, webhook::event_kind::resolved);
  EXPECT_EQ(fake->control("resolve", {{"incident_id", "QNOPE"}}, t0).error().code, "not_found");
  EXPECT_FALSE(fake->control("acknowledge", {{"incident_id", id}, {"from", "x@y.z"}}, t0));
  EXPECT_FALSE(fake->control("explode", {{"incident_id", id}}, t0));
}

TEST_F(PagerDutyFake, SeedRejectsUnknownReferences) {
  EXPECT_FALSE(fake->seed(json::parse(R"({"users":[{"id":"PX"}]})")));
  EXPECT_FALSE(fake->seed(json::parse(R"({"escalation_policies":[{"levels":[["PNOBODY"]]}]})")));
  EXPECT_FALSE(fake->seed(json::parse(R"({"services":[{"escalation_policy_id":"PNONE"}]})")));
  EXPECT_THROW(pagerduty_fake({{}, {"not a url"}, {}}), std::invalid_argument);
}

}  // namespace
}  // namespace warroom::sim
