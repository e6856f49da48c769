#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <warroom/webhook/json_input.hpp>
#include <warroom/webhook/mattermost_action.hpp>

#include "support/fixtures.hpp"

namespace warroom::webhook::mattermost_action_test {
namespace {

using nlohmann::json;

TEST(MattermostAction, DocsExamples) {
  const auto doc = json::parse(fixtures::read("mattermost/interactive-action-examples.json"));

  const auto minimal = parse_action_request(doc.at("action_request_docs_example (docs)").dump());
  ASSERT_TRUE(minimal);
  EXPECT_EQ(minimal->user_id, "rd49ehbqyjytddasoownkuqrxe");
  EXPECT_EQ(minimal->post_id, "gqrnh3675jfxzftnjyjfe4udeh");
  EXPECT_EQ(minimal->channel_id, "j6j53p28k6urx15fpcgsr20psq");
  EXPECT_EQ(minimal->team_id, "5xxzt146eax4tul69409opqjlf");
  EXPECT_EQ(minimal->context.action, "do_something");
  EXPECT_EQ(minimal->context.token, "");
  EXPECT_EQ(minimal->user_name, "");

  const auto& full_body =
      doc.at("action_request_all_fields (derived from PostActionIntegrationRequest)").at("body");
  const auto full = parse_action_request(full_body.dump());
  ASSERT_TRUE(full);
  EXPECT_EQ(full->user_name, "alice");
  EXPECT_EQ(full->channel_name, "inc-42-api-bump");
  EXPECT_EQ(full->type, "button");
  EXPECT_EQ(full->context.incident_id, "PGR0VU2");
  EXPECT_EQ(full->context.token, "<per-post secret>");
}

TEST(MattermostAction, EveryField) {
  const auto parsed = parse_action_request(R"({
    "user_id":"u1","user_name":"alice","channel_id":"c1","channel_name":"inc-7-disk",
    "team_id":"t1","team_domain":"ops","post_id":"p1","trigger_id":"trig","type":"button",
    "data_source":"","unknown":{"x":[1]},
    "context":{"action":"acknowledge","incident_id":"PINC1","token":"v1.k.a.b","extra":3}})");
  ASSERT_TRUE(parsed);
  EXPECT_EQ(parsed->user_id, "u1");
  EXPECT_EQ(parsed->user_name, "alice");
  EXPECT_EQ(parsed->channel_id, "c1");
  EXPECT_EQ(parsed->channel_name, "inc-7-disk");
  EXPECT_EQ(parsed->team_id, "t1");
  EXPECT_EQ(parsed->team_domain, "ops");
  EXPECT_EQ(parsed->post_id, "p1");
  EXPECT_EQ(parsed->trigger_id, "trig");
  EXPECT_EQ(parsed->type, "button");
  EXPECT_EQ(parsed->data_source, "");
  EXPECT_EQ(parsed->context.action, "acknowledge");
  EXPECT_EQ(parsed->context.incident_id, "PINC1");
  EXPECT_EQ(parsed->context.token, "v1.k.a.b");
}

TEST(MattermostAction, MissingOrNullContextStillParses) {
  for (const char* body :
       {R"({"user_id":"u"})", R"({"user_id":"u","context":null})", R"({"context":{}})", "{}"}) {
    const auto parsed = parse_action_request(body);
    ASSERT_TRUE(parsed) << body;
    EXPECT_EQ(parsed->context.token, "") << body;
  }
}

TEST(MattermostAction, WrongTypesReadAsEmpty) {
  const auto parsed = parse_action_request(
      R"({"user_id":5,"channel_id":null,"context":{"action":["a"],"incident_id":1,"token":{}}})");
  ASSERT_TRUE(parsed);
  EXPECT_EQ(parsed->user_id, "");
  EXPECT_EQ(parsed->channel_id, "");
  EXPECT_EQ(parsed->context.action, "");
  EXPECT_EQ(parsed->context.incident_id, "");
  EXPECT_EQ(parsed->context.token, "");
}

TEST(MattermostAction, Rejections) {
  const std::pair<std::string, const char*> cases[] = {
      {"", errc::malformed_json},
      {"user_id=u1&context=x", errc::malformed_json},  // form encoding, not JSON
      {"{\"user_id\":", errc::malformed_json},
      {std::string(5000, '{'), errc::malformed_json},
      {"[]", errc::bad_request},
      {"\"text\"", errc::bad_request},
      {"null", errc::bad_request},
      {R"({"context":"token"})", errc::bad_request},
      {R"({"context":[1]})", errc::bad_request},
  };
  for (const auto& [body, code] : cases) {
    const auto parsed = parse_action_request(body);
    ASSERT_FALSE(parsed) << body.substr(0, 40);
    EXPECT_EQ(parsed.error().code, code) << body.substr(0, 40);
  }
}

}  // namespace
}  // namespace warroom::webhook::mattermost_action_test
