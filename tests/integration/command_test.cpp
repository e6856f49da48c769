// `/incident` end to end: warroom-sim types the slash command as a Mattermost user (Mattermost's
// exact form request), warroomd answers and acts; the three fakes' state is checked afterwards.
#include <warroom/webhook/form.hpp>

#include "war_room_fixture.hpp"

namespace warroom::test {
namespace {

const std::string alice = "alice00000000000000000000a";
const std::string bob = "bob0000000000000000000000b";
const std::string carol = "carol00000000000000000000c";

class Command : public WarRoom {
 protected:
  std::string command_url() const {
    return "http://127.0.0.1:" + std::to_string(daemon_->port()) + "/webhooks/mattermost/command";
  }

  /// Types `/incident <text>` as `user` in `channel`; returns the answer shown to the user.
  json type(const std::string& user, const std::string& channel, const std::string& text,
            const std::string& trigger_id = "") {
    json args = {{"user_id", user},
                 {"channel_id", channel},
                 {"text", text},
                 {"url", command_url()},
                 {"token", command_token}};
    if (!trigger_id.empty()) args["trigger_id"] = trigger_id;
    const auto queued = control("/control/mattermost/command", args);
    const auto index = queued.value("command", 0);
    json answer;
    EXPECT_TRUE(eventually([&] {
      answer = state("mattermost")["commands"][index];
      return answer["status"] != 0;
    })) << queued.dump();
    return answer;
  }
  static std::string text_of(const json& answer) {
    return answer["response"].is_object() ? answer["response"].value("text", "") : "";
  }

  /// Triggers an incident and waits for its war room; returns {incident id, channel id}.
  std::pair<std::string, std::string> open_war_room(const std::string& title) {
    const auto incident = control("/control/pagerduty/trigger",
                                  {{"title", title}, {"service_id", "PSVC001"}})["incident"];
    const std::string id = incident["id"];
    std::string channel;
    EXPECT_TRUE(eventually([&] {
      const auto mm = state("mattermost");
      if (!mm.is_object() || card_posts(mm).empty()) return false;
      channel = card_posts(mm)[0]["channel_id"];
      return true;
    }));
    return {id, channel};
  }

  /// A plain channel (not a war room) with alice in it, made through the Mattermost API.
  std::string plain_channel() {
    const std::string auth = "Authorization: Bearer mm-token\r\n";
    const auto made = http_json(ports_["mattermost"], "POST", "/api/v4/channels",
                                {{"team_id", "team00000000000000000000aa"},
                                 {"name", "town-talk"},
                                 {"display_name", "Town talk"},
                                 {"type", "O"}},
                                auth);
    EXPECT_EQ(made.status, 201u) << made.body.dump();
    const std::string id = made.body.value("id", "");
    http_json(ports_["mattermost"], "POST", "/api/v4/channels/" + id + "/members",
              {{"user_id", alice}}, auth);
    return id;
  }

  int posts_containing(const std::string& part) {
    int n = 0;
    const auto mm = state("mattermost");  // named: a range-for over a temporary's member dangles
    if (!mm.is_object()) return -1;
    for (const auto& p : mm["posts"])
      n += p["message"].get<std::string>().find(part) != std::string::npos;
    return n;
  }
};

TEST_F(Command, ForgedOrMissingTokenIsRefusedAndChangesNothing) {
  const auto town = plain_channel();
  http_json(ports_["control"], "DELETE", "/journal");
  for (const std::string token : {"forged", ""}) {
    webhook::form_fields form = {{"channel_id", town},   {"user_id", alice},
                                 {"user_name", "alice"}, {"command", "/incident"},
                                 {"text", "new Fire"},   {"trigger_id", "t-" + token}};
    if (!token.empty()) form["token"] = token;
    const auto body = webhook::encode_form(form);
    raw_client client(daemon_->port());
    client.send(
        "POST /webhooks/mattermost/command HTTP/1.1\r\nHost: warroom\r\n"
        "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: " +
        std::to_string(body.size()) + "\r\n\r\n" + body);
    const auto raw = client.read_response(std::chrono::seconds(10));
    EXPECT_EQ(status_of(raw), 401u) << raw;
  }
  // The same request with the token is answered: the refusals above were the token's doing.
  EXPECT_NE(text_of(type(alice, town, "status")).find("not a war room"), std::string::npos);
  EXPECT_TRUE(state("pagerduty")["incidents"].empty());
  const auto journal = http_json(ports_["control"], "GET", "/journal").body;
  EXPECT_TRUE(journal["requests"].empty()) << journal.dump();
}

TEST_F(Command, EverySubcommandInAWarRoom) {
  const auto [id, channel] = open_war_room("Checkout returns 500");
  ASSERT_FALSE(channel.empty());

  const auto help = type(alice, channel, "");
  EXPECT_EQ(help["response"]["response_type"], "ephemeral");
  EXPECT_NE(text_of(help).find("/incident page"), std::string::npos);
  EXPECT_NE(text_of(type(alice, channel, "status")).find("**Triggered**"), std::string::npos);
  EXPECT_NE(text_of(type(alice, channel, "frobnicate")).find("unknown subcommand"),
            std::string::npos);

  // add: carol joins the channel.
  type(alice, channel, "add @carol @nobody");
  ASSERT_TRUE(eventually([&] {
    const auto members = state("mattermost")["members"][channel];
    return std::find(members.begin(), members.end(), carol) != members.end();
  }));
  ASSERT_TRUE(eventually([&] { return posts_containing("@alice added @carol") == 1; }));

  // note: a PagerDuty note as alice, mirrored once (the annotated echo posts nothing).
  type(alice, channel, "note rolled back the deploy");
  ASSERT_TRUE(eventually([&] {
    const auto notes = incident_in_pd(id)["notes"];
    return notes.is_array() && !notes.empty() &&
           notes.back().dump().find("rolled back the deploy") != std::string::npos;
  })) << incident_in_pd(id).dump();
  ASSERT_TRUE(eventually([&] { return posts_containing("rolled back the deploy") == 1; }));

  // page: a responder request from alice for bob.
  type(alice, channel, "page @bob");
  ASSERT_TRUE(eventually([&] { return state("pagerduty")["responder_requests"].size() == 1; }));
  const auto request = state("pagerduty")["responder_requests"][0];
  EXPECT_EQ(request["requester_id"], "PALICE1");
  EXPECT_EQ(request["target_ids"], json::array({"PBOB001"}));
  EXPECT_EQ(request["incident_id"], id);

  // priority: PagerDuty P1, Jira's mapped Highest.
  type(alice, channel, "priority p1");
  ASSERT_TRUE(eventually([&] {
    return incident_in_pd(id).dump().find("\"P1\"") != std::string::npos &&
           state("jira")["issues"][0].dump().find("Highest") != std::string::npos;
  })) << state("jira")["issues"][0].dump();
  ASSERT_TRUE(eventually([&] { return posts_containing("Priority set to **P1**") == 1; }));

  // ack by carol, who has no PagerDuty account: done as from_email, and the message says so.
  EXPECT_NE(text_of(type(carol, channel, "ack")).find("Acknowledging"), std::string::npos);
  ASSERT_TRUE(eventually([&] { return incident_in_pd(id)["status"] == "acknowledged"; }));
  ASSERT_TRUE(
      eventually([&] { return posts_containing("Acknowledged on behalf of @carol") == 1; }));

  type(alice, channel, "resolve");
  ASSERT_TRUE(eventually([&] { return incident_in_pd(id)["status"] == "resolved"; }));
  ASSERT_TRUE(eventually([&] { return posts_containing("Resolved by @alice") == 1; }));
  // The message is posted before the room is saved resolved: the answer reads the saved room.
  ASSERT_TRUE(eventually([&] { return admin("/api/v1/incidents/" + id)["status"] == "resolved"; }));
  EXPECT_NE(text_of(type(alice, channel, "ack")).find("already resolved"), std::string::npos);

  // Nothing twice, after every echo had its chance.
  EXPECT_EQ(posts_containing("rolled back the deploy"), 1);
  EXPECT_EQ(posts_containing("Priority changed"), 0);
  check_requests_against_specs();
}

TEST_F(Command, NewTypedTwiceOpensOneWarRoom) {
  const auto town = plain_channel();
  EXPECT_NE(text_of(type(alice, town, "status")).find("not a war room"), std::string::npos);
  const auto first = type(alice, town, "new Search is slow", "trigger-same");
  EXPECT_NE(text_of(first).find("Declaring"), std::string::npos);
  const auto second = type(alice, town, "new Search is slow", "trigger-same");
  EXPECT_NE(text_of(second).find("already under way"), std::string::npos);
  ASSERT_TRUE(eventually([&] { return card_posts(state("mattermost")).size() == 1; }));
  const auto pd = state("pagerduty");
  ASSERT_EQ(pd["incidents"].size(), 1u);
  EXPECT_EQ(pd["incidents"][0]["title"], "Search is slow");
  EXPECT_EQ(pd["incidents"][0]["service"]["id"], "PSVC001");
  EXPECT_EQ(state("jira")["issues"].size(), 1u);

  // The typist is told where the war room is, once, through the command's response_url.
  std::string channel_name;
  const auto mm = state("mattermost");  // named: a range-for over a temporary's member dangles
  for (const auto& c : mm["channels"])
    if (c["id"] == card_posts(mm)[0]["channel_id"]) channel_name = c["name"];
  ASSERT_FALSE(channel_name.empty());
  json answers;
  ASSERT_TRUE(eventually([&] {
    answers = state("mattermost")["commands"];
    return answers.size() == 3 && answers[1]["hook_answers"].size() == 1;
  })) << answers.dump();
  const std::string link = answers[1]["hook_answers"][0].value("text", "");
  EXPECT_NE(link.find("~" + channel_name), std::string::npos) << link;
  EXPECT_EQ(answers[1]["hook_answers"][0]["response_type"], "ephemeral");
  EXPECT_TRUE(answers[2]["hook_answers"].empty());
  check_requests_against_specs();
}

TEST_F(Command, AFailedCommandIsExplainedToItsTypist) {
  const auto town = plain_channel();
  const auto typed = type(alice, town, "new --service Nonexistent Disk is full", "trigger-bad");
  EXPECT_NE(text_of(typed).find("Declaring"), std::string::npos);
  json answers;
  ASSERT_TRUE(eventually([&] {
    answers = state("mattermost")["commands"];
    return answers.size() == 1 && answers[0]["hook_answers"].size() == 1;
  })) << answers.dump();
  const std::string text = answers[0]["hook_answers"][0].value("text", "");
  EXPECT_NE(text.find("did not go through"), std::string::npos) << text;
  EXPECT_NE(text.find("no service named Nonexistent"), std::string::npos) << text;
  EXPECT_TRUE(state("pagerduty")["incidents"].empty());
  check_requests_against_specs();
}

}  // namespace
}  // namespace warroom::test
