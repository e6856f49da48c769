#include <regex>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include <warroom/domain/card.hpp>
#include <warroom/domain/text.hpp>

namespace warroom::domain::card_test {
namespace {

using json = nlohmann::json;

card_input sample(std::string status) {
  card_input input;
  input.incident.id = "Q2CKYRLH85UNN4";
  input.incident.number = 37;
  input.incident.title = "Database is on fire";
  input.incident.status = std::move(status);
  input.incident.urgency = "high";
  input.incident.priority = "P1";
  input.incident.html_url = "https://acme.pagerduty.com/incidents/Q2CKYRLH85UNN4";
  input.incident.service_name = "API Service";
  input.jira_key = "OPS-1";
  input.jira_url = "https://acme.atlassian.net/browse/OPS-1";
  input.integration_url = "https://warroom.example.com/webhooks/mattermost";
  input.ack_token = "ack-token";
  input.resolve_token = "resolve-token";
  return input;
}

std::vector<std::string> action_ids(const card& c) {
  std::vector<std::string> ids;
  for (const auto& action : c.props["attachments"][0].value("actions", json::array()))
    ids.push_back(action["id"].get<std::string>());
  return ids;
}

TEST(Card, TriggeredCardExactJson) {
  const card c = render_card(sample("triggered"));
  EXPECT_EQ(c.message, "Incident #37 \xC2\xB7 **Triggered** \xC2\xB7 Database is on fire");
  const json expected = json::parse(R"json({"attachments":[{
    "fallback": "[#37] Database is on fire (Triggered)",
    "color": "danger",
    "title": "[#37] Database is on fire",
    "title_link": "https://acme.pagerduty.com/incidents/Q2CKYRLH85UNN4",
    "text": "Service: API Service",
    "fields": [
      {"title": "Status", "value": "Triggered", "short": true},
      {"title": "Urgency", "value": "High", "short": true},
      {"title": "Priority", "value": "P1", "short": true},
      {"title": "Jira", "value": "[OPS-1](https://acme.atlassian.net/browse/OPS-1)", "short": true}
    ],
    "actions": [
      {"id": "acknowledge", "type": "button", "name": "Acknowledge", "style": "primary",
       "integration": {"url": "https://warroom.example.com/webhooks/mattermost",
                       "context": {"action": "acknowledge", "incident_id": "Q2CKYRLH85UNN4",
                                   "token": "ack-token"}}},
      {"id": "resolve", "type": "button", "name": "Resolve", "style": "good",
       "integration": {"url": "https://warroom.example.com/webhooks/mattermost",
                       "context": {"action": "resolve", "incident_id": "Q2CKYRLH85UNN4",
                                   "token": "resolve-token"}}}
    ]
}],
  "warroom_incident": "Q2CKYRLH85UNN4"
})json");
  EXPECT_EQ(c.props, expected) << c.props.dump(2);
}

struct status_case {
  std::string status;
  std::string color;
  std::vector<std::string> ids;
  std::string status_field;
};

TEST(Card, ColorButtonsAndStatusFollowTheIncident) {
  const std::vector<status_case> cases = {
      {"triggered", "danger", {"acknowledge", "resolve"}, "Triggered"},
      {"acknowledged", "warning", {"resolve"}, "Acknowledged by @alice"},
      {"resolved", "good", {}, "Resolved by Bob Smith"},
  };
  static const std::regex action_id("^[A-Za-z0-9]+$");
  for (const auto& c : cases) {
    card_input input = sample(c.status);
    input.acknowledged_by = "@alice";
    input.resolved_by = "Bob Smith";
    const card rendered = render_card(input);
    const json& attachment = rendered.props["attachments"][0];
    EXPECT_EQ(attachment["color"], c.color) << c.status;
    EXPECT_EQ(attachment["fields"][0]["value"], c.status_field) << c.status;
    EXPECT_EQ(action_ids(rendered), c.ids) << c.status;
    EXPECT_EQ(attachment.contains("actions"), !c.ids.empty()) << c.status;
    for (const auto& action : attachment.value("actions", json::array())) {
      EXPECT_TRUE(std::regex_match(action["id"].get<std::string>(), action_id));
      EXPECT_EQ(action["integration"]["context"]["action"], action["id"]);
      EXPECT_EQ(action["type"], "button");
    }
  }
}

TEST(Card, NoButtonsWhileAnActionIsInProgress) {
  for (const std::string status : {"triggered", "acknowledged"}) {
    card_input input = sample(status);
    input.activity = "Acknowledging as @alice\xE2\x80\xA6";
    const card c = render_card(input);
    EXPECT_TRUE(action_ids(c).empty()) << status;
    EXPECT_EQ(c.props["attachments"][0]["text"],
              "Service: API Service\n*Acknowledging as @alice\xE2\x80\xA6*");
  }
}

TEST(Card, MissingValuesRenderAsDash) {
  card_input input = sample("triggered");
  input.incident.priority.clear();
  input.incident.service_name.clear();
  input.jira_key.clear();
  const card c = render_card(input);
  const json& attachment = c.props["attachments"][0];
  EXPECT_EQ(attachment["fields"][2]["value"], "\xE2\x80\x94");
  EXPECT_EQ(attachment["fields"][3]["value"], "\xE2\x80\x94");
  EXPECT_FALSE(attachment.contains("text"));
}

TEST(Card, TitleMentionsCannotPingTheChannel) {
  card_input input = sample("triggered");
  input.incident.title = "@channel @here @all <!channel> wake up *now*";
  input.incident.service_name = "@here svc";
  input.acknowledged_by = "@channel";
  input.incident.status = "acknowledged";
  const card c = render_card(input);
  const std::string all = c.message + c.props.dump();
  for (const char* mention : {"@channel", "@here", "@all", "<!channel"})
    EXPECT_EQ(all.find(mention), std::string::npos) << mention << " in " << all;
  EXPECT_NE(c.message.find("\\*now\\*"), std::string::npos) << c.message;
}

TEST(Card, LongTitlesStayBounded) {
  card_input input = sample("triggered");
  std::string title;
  for (int i = 0; i < 1024; ++i)
    title += i % 7 == 0 ? "_" : "\xC3\xA9";
  input.incident.title = title;
  const card c = render_card(input);
  EXPECT_LE(rune_count(c.message), 16383u);
  EXPECT_LE(rune_count(c.message), 1000u);
  const std::string attachment_title = c.props["attachments"][0]["title"];
  EXPECT_LE(rune_count(attachment_title), 210u);
  EXPECT_EQ(valid_utf8(attachment_title), attachment_title);
}

TEST(Card, InvalidUtf8NeverThrowsWhenSerialised) {
  card_input input = sample("triggered");
  const std::string bad = "x\xFF\xC3";
  input.incident.id = bad;
  input.incident.title = bad;
  input.incident.urgency = bad;
  input.incident.priority = bad;
  input.incident.html_url = bad;
  input.incident.service_name = bad;
  input.jira_key = bad;
  input.jira_url = bad;
  input.integration_url = bad;
  input.ack_token = bad;
  const card c = render_card(input);
  EXPECT_NO_THROW((void)c.props.dump());
  EXPECT_NO_THROW((void)action_response(c, bad).dump());
}

TEST(Card, ActionResponseCarriesTheWholeCard) {
  const card c = render_card(sample("acknowledged"));
  const json response = action_response(c, "Acknowledged in PagerDuty.");
  EXPECT_EQ(response, (json{{"update", {{"message", c.message}, {"props", c.props}}},
                            {"ephemeral_text", "Acknowledged in PagerDuty."},
                            {"skip_slack_parsing", true}}));
  EXPECT_EQ(response["update"], post_fields(c));
  EXPECT_FALSE(action_response(c, "").contains("ephemeral_text"));
  EXPECT_TRUE(action_response(c, "").contains("update"));
}

TEST(Card, SameInputRendersTheSameCard) {
  EXPECT_EQ(render_card(sample("triggered")), render_card(sample("triggered")));
  EXPECT_NE(render_card(sample("triggered")), render_card(sample("resolved")));
}

}  // namespace
}  // namespace warroom::domain::card_test
