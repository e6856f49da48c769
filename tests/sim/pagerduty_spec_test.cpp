// The PagerDuty fake held against the vendor's material in tests/fixtures/pagerduty: the REST
// operations extract (required headers, response properties) and the captured V3 webhooks and
// signature vectors.
#include <set>

#include <gtest/gtest.h>

#include <warroom/webhook/pagerduty_signature.hpp>

#include "pagerduty_fake.hpp"
#include "support/fixtures.hpp"

namespace warroom::sim {
namespace {

using nlohmann::json;

json load(const std::string& name) {
  return json::parse(fixtures::read("pagerduty/" + name), nullptr, false);
}

/// Property names of an OpenAPI schema, following allOf/oneOf/anyOf.
std::set<std::string> properties(const json& schema) {
  std::set<std::string> out;
  if (!schema.is_object()) return out;
  for (const char* k : {"allOf", "oneOf", "anyOf"})
    for (const auto& s : schema.value(k, json::array()))
      out.merge(properties(s));
  const auto props = schema.value("properties", json::object());  // items() must not outlive it
  for (const auto& [name, v] : props.items())
    out.insert(name);
  return out;
}

/// Every schema given for property `name` (allOf branches may each describe part of it), as an
/// allOf, so properties() of the result is their union.
json property(const json& schema, const std::string& name) {
  json all = json::array();
  if (!schema.is_object()) return {{"allOf", all}};
  if (schema.contains("properties") && schema["properties"].contains(name))
    all.push_back(schema["properties"][name]);
  for (const char* k : {"allOf", "oneOf", "anyOf"})
    for (const auto& s : schema.value(k, json::array()))
      all.push_back(property(s, name));
  return {{"allOf", all}};
}

/// The items schema of an array property, across allOf branches.
json items_of(const json& schema) {
  json all = json::array();
  if (!schema.is_object()) return {{"allOf", all}};
  if (schema.contains("items")) all.push_back(schema["items"]);
  for (const auto& s : schema.value("allOf", json::array()))
    all.push_back(items_of(s));
  return {{"allOf", all}};
}

class PagerDutySpec : public ::testing::Test {
 protected:
  void SetUp() override {
    auto extract = load("rest-operations-extract.json");
    ASSERT_FALSE(extract.is_discarded());
    ops = extract["operations"];
    pagerduty_fake_options o;
    o.token = util::secret("tok");
    o.webhook_urls = {"http://127.0.0.1:9/hook"};
    fake = std::make_unique<pagerduty_fake>(std::move(o));
    ASSERT_TRUE(fake->seed(json::parse(R"({
      "users": [{"id": "PALICE1", "name": "Alice", "email": "alice@example.com"}],
      "escalation_policies": [{"id": "PEP0001", "name": "Ops", "levels": [["PALICE1"]]}]})")));
    id = (*fake->control("trigger", {{"title", "t"}}, 1743997633414))["incident"]["id"];
  }

  json schema_of(const std::string& op) const {
    return ops[op]["responses"]["200"]["content"]["application/json"]["schema"];
  }
  /// Our 200 answer to the operation, built from the spec's own example request where it has one.
  net::request request_for(const std::string& op) const {
    const auto space = op.find(' ');
    std::string path = op.substr(space + 1);
    if (const auto at = path.find("{id}"); at != std::string::npos)
      path.replace(at, 4, op.find("users") != std::string::npos ? "PALICE1" : id);
    net::request r{op.substr(0, space), path, {}, "", ""};
    const auto& body = ops[op].value("requestBody", json::object());
    if (!body.empty()) {
      const auto& examples = body["content"]["application/json"].value("examples", json::object());
      r.body = examples.empty()
                   ? R"({"incident":{"type":"incident_reference","status":"acknowledged"}})"
                   : examples.begin().value()["value"].dump();
    }
    for (const auto& p : ops[op]["parameters"]) {
      if (p["in"] != "header") continue;
      const std::string name = p["name"];
      r.headers.push_back(
          {name, name == "From" ? "alice@example.com" : p["schema"].value("default", "")});
    }
    r.headers.push_back({"Authorization", "Token token=tok"});
    return r;
  }

  json ops;
  std::unique_ptr<pagerduty_fake> fake;
  std::string id;
};

TEST_F(PagerDutySpec, EveryRequiredHeaderOfEveryOperationIsEnforced) {
  for (const auto& [op, def] : ops.items()) {
    ASSERT_EQ(fake->handle(request_for(op), 1743997634000).status, 200u) << op;
    for (const auto& p : def["parameters"]) {
      if (p["in"] != "header" || !p.value("required", false)) continue;
      if (p["name"] == "Content-Type" && op.starts_with("GET")) continue;  // no body to describe
      auto r = request_for(op);
      std::erase_if(r.headers, [&](const api::header& h) { return h.name == p["name"]; });
      const auto res = fake->handle(r, 1743997634000);
      EXPECT_EQ(res.status, 400u) << op << " without " << p["name"];
      EXPECT_TRUE(json::parse(res.body)["error"].contains("code")) << res.body;
    }
  }
}

TEST_F(PagerDutySpec, AnswersUseOnlyPropertiesTheSpecDefines) {
  const std::pair<const char*, const char*> wrappers[] = {{"PUT /incidents/{id}", "incident"},
                                                          {"GET /incidents/{id}", "incident"},
                                                          {"POST /incidents/{id}/notes", "note"},
                                                          {"GET /users/{id}", "user"}};
  for (const auto& [op, key] : wrappers) {
    const auto body = json::parse(fake->handle(request_for(op), 1743997634000).body);
    ASSERT_TRUE(body.contains(key)) << op << ": " << body;
    const auto allowed = properties(property(schema_of(op), key));
    ASSERT_FALSE(allowed.empty()) << op;
    for (const auto& [name, v] : body[key].items())
      EXPECT_TRUE(allowed.contains(name)) << op << ": '" << name << "' is not in the spec";
  }
  const auto oncalls = json::parse(fake->handle(request_for("GET /oncalls"), 1743997634000).body);
  const auto page = properties(schema_of("GET /oncalls"));
  for (const auto& [name, v] : oncalls.items())
    EXPECT_TRUE(page.contains(name)) << name;
  const auto entry = properties(items_of(property(schema_of("GET /oncalls"), "oncalls")));
  ASSERT_FALSE(entry.empty());
  ASSERT_FALSE(oncalls.value("oncalls", json::array()).empty()) << oncalls;
  for (const auto& [name, v] : oncalls["oncalls"][0].items())
    EXPECT_TRUE(entry.contains(name)) << name;
}

TEST_F(PagerDutySpec, WebhooksHaveTheFieldsOfTheCapturedOnes) {
  for (const std::string kind : {"triggered", "acknowledged", "resolved", "annotated"}) {
    const auto captured = load("webhook-v3-captured-incident." + kind + ".json");
    ASSERT_FALSE(captured.is_discarded()) << kind;
    fake->take_outbox();
    if (kind == "acknowledged" || kind == "resolved") {
      ASSERT_TRUE(fake->control(kind == "resolved" ? "resolve" : "acknowledge",
                                {{"incident_id", id}, {"from", "alice@example.com"}}, 1));
    } else if (kind == "annotated") {
      ASSERT_TRUE(fake->control("add_note", {{"incident_id", id}, {"content", "x"}}, 1));
    } else {
      id = (*fake->control("trigger", {{"title", "again"}}, 1))["incident"]["id"];
    }
    const auto out = fake->take_outbox();
    ASSERT_EQ(out.size(), 1u) << kind;
    const auto ours = json::parse(out[0].call.body)["event"];
    const auto& theirs = captured["event"];
    EXPECT_EQ(ours["event_type"], theirs["event_type"]);
    for (const auto& [name, v] : theirs.items())
      EXPECT_TRUE(ours.contains(name)) << kind << ": event." << name;
    for (const auto& [name, v] : theirs["data"].items())
      EXPECT_TRUE(ours["data"].contains(name)) << kind << ": data." << name;
    for (const auto& [name, v] : ours["data"].items())
      EXPECT_TRUE(theirs["data"].contains(name)) << kind << ": extra data." << name;
  }
}

TEST(PagerDutySignatureVectors, OurSigningMatchesEveryValidVector) {
  const auto vectors = load("webhook-v3-signature-vectors.json");
  ASSERT_FALSE(vectors.is_discarded());
  int checked = 0;
  for (const auto& v : vectors["vectors"]) {
    if (v.value("expect_valid", false) != true || !v["header"].is_string() ||
        !v["body"].is_string() || !v["secret"].is_string())
      continue;
    const std::string header = v["header"];
    const auto ours = webhook::sign_pagerduty_body(v["body"].get<std::string>(),
                                                   util::secret(v["secret"].get<std::string>()));
    EXPECT_NE(header.find(ours), std::string::npos) << v.value("name", "");
    ++checked;
  }
  EXPECT_GT(checked, 0);
}

}  // namespace
}  // namespace warroom::sim
