#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <warroom/webhook/json_input.hpp>
#include <warroom/webhook/pagerduty_event.hpp>

#include "support/fixtures.hpp"

namespace warroom::webhook::pagerduty_event_test {
namespace {

using nlohmann::json;

const char* const pd_dir = "pagerduty/";

pagerduty_event parse_ok(const std::string& body) {
  auto parsed = parse_pagerduty_event(body);
  EXPECT_TRUE(parsed) << (parsed ? "" : parsed.error().message);
  return parsed ? std::move(*parsed) : pagerduty_event{};
}

// A minimal incident.triggered body; tests patch it to probe one field at a time.
json incident_body() {
  return json::parse(R"({"event":{"id":"EV1","event_type":"incident.triggered",
    "resource_type":"incident","occurred_at":"2025-01-01T00:00:00Z","agent":null,"client":null,
    "data":{"id":"PINC1","type":"incident","number":7,"title":"Disk full","status":"triggered",
      "urgency":"high","assignees":[],"teams":[],"priority":null,"conference_bridge":null}}})");
}

std::string read_pd(const std::string& name) {
  return fixtures::read(pd_dir + name);
}

TEST(PagerdutyEvent, CapturedBodiesAllParse) {
  const auto files = fixtures::files(pd_dir, "webhook-v3-captured-");
  ASSERT_EQ(files.size(), 5u);
  for (const auto& path : files) {
    const auto event = parse_ok(read_pd(path.filename().string()));
    EXPECT_FALSE(event.id.empty()) << path;
    EXPECT_EQ(event.kind, classify(event.event_type)) << path;
    EXPECT_NE(event.kind, event_kind::other) << path;
  }
}

TEST(PagerdutyEvent, CapturedTriggered) {
  const auto text = read_pd("webhook-v3-captured-incident.triggered.json");
  const auto event = parse_ok(text);
  EXPECT_EQ(event.id, "01FKZSRAPTMF55RE69G8BQHGC6");
  EXPECT_EQ(event.kind, event_kind::triggered);
  EXPECT_EQ(event.resource_type, "incident");
  EXPECT_EQ(event.occurred_at, "2025-04-07T03:47:13.414Z");
  ASSERT_TRUE(event.agent);
  EXPECT_EQ(event.agent->id, "PVE0ZR9");
  EXPECT_EQ(event.agent->summary, "Ben");
  ASSERT_TRUE(event.incident);
  const auto& incident = *event.incident;
  EXPECT_EQ(incident.id, "Q2CKYRLH85UNN4");
  EXPECT_EQ(incident.number, 37);
  EXPECT_EQ(incident.title, "Test");
  EXPECT_EQ(incident.status, "triggered");
  EXPECT_EQ(incident.urgency, "low");
  EXPECT_EQ(incident.incident_key, "dfead9d88e0649e8b7dee514b1875756");
  EXPECT_EQ(incident.html_url, "https://aldaviva.pagerduty.com/incidents/Q2CKYRLH85UNN4");
  EXPECT_EQ(incident.escalation_policy.id, "P482651");
  EXPECT_EQ(incident.service.summary, "Webhook Tester");
  ASSERT_EQ(incident.assignees.size(), 1u);
  EXPECT_EQ(incident.assignees[0].id, "PVE0ZR9");
  EXPECT_TRUE(incident.teams.empty());
  EXPECT_FALSE(incident.priority);
  EXPECT_FALSE(incident.conference_bridge);
  EXPECT_EQ(incident_id_of(event), "Q2CKYRLH85UNN4");
}

TEST(PagerdutyEvent, CapturedAnnotatedIsANote) {
  const auto text = read_pd("webhook-v3-captured-incident.annotated.json");
  const auto event = parse_ok(text);
  EXPECT_EQ(event.kind, event_kind::annotated);
  EXPECT_EQ(event.resource_type, "incident");
  EXPECT_EQ(event.data_type, "incident_note");
  EXPECT_FALSE(event.incident);
  ASSERT_TRUE(event.note);
  EXPECT_EQ(event.note->id, "PTSAIFZ");
  EXPECT_EQ(event.note->content, "Resolution Note: I'm resolving it");
  EXPECT_EQ(event.note->incident_summary, "Test");
  EXPECT_EQ(incident_id_of(event), "Q2CKYRLH85UNN4");
}

TEST(PagerdutyEvent, CapturedPing) {
  const auto text = read_pd("webhook-v3-captured-pagey.ping.json");
  const auto event = parse_ok(text);
  EXPECT_EQ(event.kind, event_kind::ping);
  EXPECT_EQ(event.data_type, "ping");
  EXPECT_EQ(incident_id_of(event), "");
}

TEST(PagerdutyEvent, CapturedResolvedAndAcknowledged) {
  const auto resolved = read_pd("webhook-v3-captured-incident.resolved.json");
  const auto acknowledged = read_pd("webhook-v3-captured-incident.acknowledged.json");
  const auto r = parse_ok(resolved);
  EXPECT_EQ(r.kind, event_kind::resolved);
  ASSERT_TRUE(r.incident);
  EXPECT_EQ(r.incident->status, "resolved");
  const auto a = parse_ok(acknowledged);
  EXPECT_EQ(a.kind, event_kind::acknowledged);
  ASSERT_TRUE(a.incident);
  EXPECT_EQ(a.incident->status, "acknowledged");
}

TEST(PagerdutyEvent, DocsPriorityUpdated) {
  const auto text = read_pd("webhook-v3-docs-example-incident.priority_updated.json");
  const auto event = parse_ok(text);
  EXPECT_EQ(event.kind, event_kind::priority_updated);
  ASSERT_TRUE(event.incident);
  ASSERT_TRUE(event.incident->priority);
  EXPECT_EQ(event.incident->priority->summary, "P1");
  ASSERT_TRUE(event.incident->conference_bridge);
  EXPECT_EQ(event.incident->conference_bridge->number, "+1 1234123412,,987654321#");
  EXPECT_EQ(event.incident->conference_bridge->url, "https://example.com");
  ASSERT_EQ(event.incident->teams.size(), 1u);
  EXPECT_EQ(event.incident->teams[0].summary, "Engineering");
}

TEST(PagerdutyEvent, DocsServiceUpdatedHasNoIncident) {
  const auto text = read_pd("webhook-v3-docs-example-service.updated.json");
  const auto event = parse_ok(text);
  EXPECT_EQ(event.kind, event_kind::other);
  EXPECT_EQ(event.data_type, "service");
  EXPECT_FALSE(event.agent);  // null agent: automation
  EXPECT_EQ(incident_id_of(event), "");
}

TEST(PagerdutyEvent, EveryDocsDataTypeParses) {
  const auto text = read_pd("webhook-v3-docs-event-data-types.json");
  const auto types = json::parse(text).at("types");
  ASSERT_GE(types.size(), 10u);
  for (const auto& [name, data] : types.items()) {
    const bool service = name.starts_with("service");
    json body = {{"event",
                  {{"id", "EV"},
                   {"event_type", service ? "service.updated" : "incident.x"},
                   {"data", data}}}};
    const auto event = parse_ok(body.dump());
    EXPECT_EQ(event.data_type, name);
    const auto* incident = object_field(data, "incident");
    const auto expected = incident             ? string_field(*incident, "id")
                          : name == "incident" ? string_field(data, "id")
                          : service            ? std::string{}
                                               : string_field(data, "id");
    EXPECT_EQ(incident_id_of(event), expected) << name;
  }
}

TEST(PagerdutyEvent, SignatureVectorBodiesParse) {
  const auto text = read_pd("webhook-v3-signature-vectors.json");
  const auto doc = json::parse(text);
  for (const auto& vector : doc.at("vectors")) {
    const auto body = vector.at("body").get<std::string>();
    if (body.empty()) continue;
    const auto event = parse_ok(body);
    EXPECT_FALSE(event.event_type.empty()) << vector.at("name");
  }
}

TEST(PagerdutyEvent, ConferenceNumberAsIntegerOrString) {
  auto body = incident_body();
  body["event"]["data"]["conference_bridge"] = {{"conference_number", 1000},
                                                {"conference_url", "https://c"}};
  auto event = parse_ok(body.dump());
  ASSERT_TRUE(event.incident && event.incident->conference_bridge);
  EXPECT_EQ(event.incident->conference_bridge->number, "1000");
  body["event"]["data"]["conference_bridge"]["conference_number"] = "+1 555";
  event = parse_ok(body.dump());
  EXPECT_EQ(event.incident->conference_bridge->number, "+1 555");
  body["event"]["data"]["conference_bridge"]["conference_number"] = 1.5;
  event = parse_ok(body.dump());
  EXPECT_EQ(event.incident->conference_bridge->number, "");
}

TEST(PagerdutyEvent, ToleratesNullsAbsencesAndExtras) {
  auto body = incident_body();
  body["event"]["data"].erase("priority");
  body["event"]["data"].erase("assignees");
  body["event"]["data"]["future_field"] = {{"nested", {1, 2, 3}}};
  body["event"]["unknown"] = "x";
  body["extra_top_level"] = true;
  const auto event = parse_ok(body.dump());
  ASSERT_TRUE(event.incident);
  EXPECT_EQ(event.incident->number, 7);
  EXPECT_FALSE(event.agent);
  EXPECT_FALSE(event.incident->priority);
  EXPECT_TRUE(event.incident->assignees.empty());
  EXPECT_EQ(event.incident->escalation_policy.id, "");
}

TEST(PagerdutyEvent, WrongTypesDoNotThrow) {
  auto body = incident_body();
  auto& data = body["event"]["data"];
  data["title"] = 42;
  data["number"] = "7";
  data["assignees"] = {"PUSER", 3, nullptr, {{"id", 5}}, {{"id", "POK"}}};
  data["teams"] = "none";
  data["service"] = {1, 2};
  data["priority"] = "P1";
  data["resolve_reason"] = {{"type", "merge_resolve_reason"}};
  body["event"]["agent"] = "system";
  body["event"]["occurred_at"] = 1234;
  const auto event = parse_ok(body.dump());
  ASSERT_TRUE(event.incident);
  EXPECT_EQ(event.incident->title, "");
  EXPECT_EQ(event.incident->number, 0);
  ASSERT_EQ(event.incident->assignees.size(), 2u);  // objects only
  EXPECT_EQ(event.incident->assignees[1].id, "POK");
  EXPECT_TRUE(event.incident->teams.empty());
  EXPECT_FALSE(event.incident->priority);
  EXPECT_EQ(event.incident->resolve_reason, "merge_resolve_reason");
  EXPECT_FALSE(event.agent);
  EXPECT_EQ(event.occurred_at, "");
}

TEST(PagerdutyEvent, BadEnvelopes) {
  struct bad_case {
    const char* body;
    const char* code;
    const char* mentions;
  };
  const bad_case cases[] = {
      {"", errc::malformed_json, "JSON"},
      {"{\"event\":", errc::malformed_json, "JSON"},
      {"\x01\x02\xff garbage", errc::malformed_json, "JSON"},
      {"[]", errc::bad_envelope, "\"event\""},
      {"{}", errc::bad_envelope, "\"event\""},
      {R"({"event":[]})", errc::bad_envelope, "\"event\""},
      {R"({"event":{"event_type":"incident.triggered","data":{}}})", errc::bad_envelope,
       "event.id"},
      {R"({"event":{"id":7,"event_type":"incident.triggered","data":{}}})", errc::bad_envelope,
       "event.id"},
      {R"({"event":{"id":"E","event_type":null,"data":{}}})", errc::bad_envelope, "event_type"},
      {R"({"event":{"id":"E","event_type":"pagey.ping"}})", errc::bad_envelope, "event.data"},
      {R"({"event":{"id":"E","event_type":"pagey.ping","data":"hi"}})", errc::bad_envelope,
       "event.data"},
      {R"({"event":{"id":"E","event_type":"incident.triggered","data":{"type":"incident"}}})",
       errc::bad_envelope, "\"id\""},
      {R"({"event":{"id":"E","event_type":"incident.triggered","data":{"type":"incident","id":9}}})",
       errc::bad_envelope, "\"id\""},
  };
  for (const auto& c : cases) {
    const auto parsed = parse_pagerduty_event(c.body);
    ASSERT_FALSE(parsed) << c.body;
    EXPECT_EQ(parsed.error().code, c.code) << c.body;
    EXPECT_NE(parsed.error().message.find(c.mentions), std::string::npos)
        << c.body << " -> " << parsed.error().message;
  }
}

TEST(PagerdutyEvent, ErrorsNeverEchoTheBody) {
  const std::string marker(5000, 'Z');
  const auto parsed =
      parse_pagerduty_event(R"({"event":{"id":"E","event_type":")" + marker + R"(","data":7}})");
  ASSERT_FALSE(parsed);
  EXPECT_EQ(parsed.error().message.find("ZZZ"), std::string::npos);
  EXPECT_LT(parsed.error().message.size(), 200u);
}

TEST(PagerdutyEvent, DeepNestingIsRejectedNotACrash) {
  std::string deep = R"({"event":{"id":"E","event_type":"x","data":{"a":)";
  deep += std::string(100000, '[') + std::string(100000, ']') + "}}}";
  const auto parsed = parse_pagerduty_event(deep);
  ASSERT_FALSE(parsed);
  EXPECT_EQ(parsed.error().code, errc::malformed_json);
}

TEST(EventKind, ClassifyAndName) {
  const std::pair<const char*, event_kind> cases[] = {
      {"incident.triggered", event_kind::triggered},
      {"incident.acknowledged", event_kind::acknowledged},
      {"incident.unacknowledged", event_kind::unacknowledged},
      {"incident.resolved", event_kind::resolved},
      {"incident.reopened", event_kind::reopened},
      {"incident.reassigned", event_kind::reassigned},
      {"incident.escalated", event_kind::escalated},
      {"incident.delegated", event_kind::delegated},
      {"incident.priority_updated", event_kind::priority_updated},
      {"incident.annotated", event_kind::annotated},
      {"pagey.ping", event_kind::ping},
      {"incident.responder.added", event_kind::other},
      {"service.updated", event_kind::other},
      {"incident.TRIGGERED", event_kind::other},
      {"", event_kind::other},
  };
  for (const auto& [type, kind] : cases)
    EXPECT_EQ(classify(type), kind) << type;
  EXPECT_EQ(to_string(event_kind::triggered), "triggered");
  EXPECT_EQ(to_string(event_kind::priority_updated), "priority_updated");
  EXPECT_EQ(to_string(event_kind::ping), "ping");
  EXPECT_EQ(to_string(event_kind::other), "other");
}

}  // namespace
}  // namespace warroom::webhook::pagerduty_event_test
