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

// Two routes and the default (DESIGN §8): checkout keeps the main team but has its own channel
// names, responders and Jira project; data has another team, private channels and no Jira issue.
class Routing : public WarRoom {
 protected:
  static constexpr const char* data_team = "datateam00000000000000000b";

  json seed_data() override {
    auto s = seed();
    auto& services = s["pagerduty"]["services"];
    services.push_back(
        {{"id", "PSVC002"}, {"name", "Warehouse"}, {"escalation_policy_id", "PEP0001"}});
    services.push_back(
        {{"id", "PSVC003"}, {"name", "Website"}, {"escalation_policy_id", "PEP0001"}});
    services.push_back({{"id", "PSVC004"},
                        {"name", "Storefront"},
                        {"escalation_policy_id", "PEP0001"},
                        {"teams", {{{"id", "PTEAMWEB1"}, {"summary", "Web"}}}}});
    s["mattermost"]["other_teams"] = json::array({{{"id", data_team}, {"name", "data"}}});
    s["jira"]["projects"].push_back(
        {{"key", "CHK"}, {"id", "10001"}, {"issue_types", {"Incident", "Task"}}});
    return s;
  }
  std::string extra_config() override {
    return std::string("routes:\n") +
           "  - name: checkout\n"
           "    match: {service_ids: [PSVC001]}\n"
           "    mattermost: {channel_name: \"chk-{number}-{title}\", responders: [bob]}\n"
           "    jira: {project_key: CHK, issue_type: Task}\n"
           "  - name: data\n"
           "    match: {service_names: [Warehouse]}\n"
           "    mattermost: {team_id: \"" +
           data_team +
           "\", private: true, responders: [carol]}\n"
           "    jira: false\n"
           "  - name: web\n"
           "    match: {team_ids: [PTEAMWEB1], urgency: high}\n"
           "    mattermost: {channel_name: \"web-{number}-{title}\"}\n";
  }

  /// Opens an incident on `service` and waits for its war room to be complete.
  json open(const std::string& title, const std::string& service) {
    const auto inc = control("/control/pagerduty/trigger",
                             {{"title", title}, {"urgency", "high"}, {"service_id", service}});
    const std::string id = inc["incident"]["id"];
    EXPECT_TRUE(eventually(
        [&] {
          const auto steps = admin("/api/v1/incidents/" + id)["steps_done"];
          return steps.is_array() &&
                 std::find(steps.begin(), steps.end(), "open.complete") != steps.end();
        },
        30s))
        << title;
    return admin("/api/v1/incidents/" + id);
  }

  json channel_of(const json& room) {
    const auto mm = state("mattermost");  // a named copy: the loop must not outlive it
    for (const auto& c : mm["channels"])
      if (c["id"] == room["channel"]["id"]) return c;
    return nullptr;
  }
  std::set<std::string> members_of(const json& room) {
    const auto mm = state("mattermost");
    const auto ids = mm["members"][room["channel"]["id"].get<std::string>()];
    std::set<std::string> names;
    for (const auto& u : mm["users"])
      if (std::find(ids.begin(), ids.end(), u["id"]) != ids.end() && u["username"] != "warroom")
        names.insert(u["username"].get<std::string>());
    return names;
  }
  json issues_labelled(const std::string& incident_id) {
    json out = json::array();
    const auto jira = state("jira");
    for (const auto& i : jira["issues"]) {
      const auto& labels = i["labels"];
      if (std::find(labels.begin(), labels.end(), "pagerduty-" + incident_id) != labels.end())
        out.push_back(i);
    }
    return out;
  }
  std::string card_jira_field(const json& room) {
    for (const auto& p : card_posts(state("mattermost")))
      if (p["id"] == room["post_id"])
        for (const auto& f : p["props"]["attachments"][0]["fields"])
          if (f["title"] == "Jira") return f["value"].get<std::string>();
    return "(no card)";
  }
};

TEST_F(Routing, EachIncidentOpensInItsRoutesTeamProjectChannelAndResponderSet) {
  const auto chk = open("Checkout slow", "PSVC001");
  const auto data = open("Warehouse lag", "PSVC002");
  const auto web = open("Website down", "PSVC003");
  const std::string main_team = "team00000000000000000000aa";

  // checkout: main team, its own channel names, bob besides the on-call, issue in CHK as a Task.
  EXPECT_EQ(chk["route"]["name"], "checkout");
  EXPECT_EQ(channel_of(chk)["team_id"], main_team);
  EXPECT_TRUE(chk["channel"]["name"].get<std::string>().starts_with("chk-")) << chk.dump();
  EXPECT_EQ(channel_of(chk)["type"], "O");
  EXPECT_EQ(members_of(chk), (std::set<std::string>{"alice", "bob"}));
  const auto chk_issues = issues_labelled(chk["id"]);
  ASSERT_EQ(chk_issues.size(), 1u);
  EXPECT_EQ(chk_issues[0]["project"], "CHK");
  EXPECT_EQ(chk_issues[0]["issuetype"], "Task");
  EXPECT_EQ(chk["jira"]["key"], chk_issues[0]["key"]);
  EXPECT_NE(card_jira_field(chk).find(chk_issues[0]["key"].get<std::string>()), std::string::npos);

  // data: the other team, a private channel, carol besides the on-call, and no Jira at all.
  EXPECT_EQ(data["route"]["name"], "data");
  EXPECT_EQ(data["route"]["jira"], false);
  EXPECT_EQ(channel_of(data)["team_id"], data_team);
  EXPECT_EQ(channel_of(data)["type"], "P");
  EXPECT_TRUE(data["channel"]["name"].get<std::string>().starts_with("inc-"));
  // The on-call of levels 1 and 2 (alice, bob; nomad has no account) and the route's carol.
  EXPECT_EQ(members_of(data), (std::set<std::string>{"alice", "bob", "carol"}));
  EXPECT_TRUE(issues_labelled(data["id"]).empty());
  EXPECT_EQ(data["jira"]["key"], "");
  const auto data_jira_field = card_jira_field(data);  // "—": no key, no link
  EXPECT_NE(data_jira_field, "(no card)");
  EXPECT_EQ(data_jira_field.find("/browse/"), std::string::npos) << data_jira_field;
  EXPECT_EQ(data_jira_field.find("]("), std::string::npos) << data_jira_field;

  // no route matches: the top-level settings.
  EXPECT_EQ(web["route"]["name"], "default");
  EXPECT_EQ(channel_of(web)["team_id"], main_team);
  EXPECT_TRUE(web["channel"]["name"].get<std::string>().starts_with("inc-"));
  // The on-call and the top-level mattermost.responders (carol).
  EXPECT_EQ(members_of(web), (std::set<std::string>{"alice", "bob", "carol"}));
  const auto web_issues = issues_labelled(web["id"]);
  ASSERT_EQ(web_issues.size(), 1u);
  EXPECT_EQ(web_issues[0]["project"], "OPS");
  EXPECT_EQ(web_issues[0]["issuetype"], "Incident");
  EXPECT_EQ(state("jira")["issues"].size(), 2u);

  // A route matched on the incident's PagerDuty team (and urgency) rather than its service.
  const auto store = open("Cart broken", "PSVC004");
  EXPECT_EQ(store["route"]["name"], "web");
  EXPECT_TRUE(store["channel"]["name"].get<std::string>().starts_with("web-")) << store.dump();
  EXPECT_EQ(issues_labelled(store["id"]).size(), 1u);

  // Resolving the no-Jira incident resolves it without touching Jira.
  const auto jira_calls_before = [&] {
    int n = 0;
    const auto journal = http_json(ports_["control"], "GET", "/journal").body;
    for (const auto& r : journal["requests"])
      n += r["service"] == "jira";
    return n;
  };
  const int before = jira_calls_before();
  control("/control/mattermost/click", {{"post_id", data["post_id"]},
                                        {"action_id", "resolve"},
                                        {"user_id", "alice00000000000000000000a"}});
  ASSERT_TRUE(eventually([&] {
    return admin("/api/v1/incidents/" + data["id"].get<std::string>())["status"] == "resolved";
  }));
  EXPECT_EQ(jira_calls_before(), before);
  // Its time to resolve is counted under its route, never under the incident.
  raw_client scrape(daemon_->port());
  scrape.send(get_request("/metrics"));
  const auto metrics = scrape.read_response(10s);
  EXPECT_NE(metrics.find("warroom_time_to_resolve_seconds_count{route=\"data\"} 1"),
            std::string::npos)
      << metrics;
  EXPECT_EQ(metrics.find(data["id"].get<std::string>()), std::string::npos);
  check_requests_against_specs();
}

// Reminders (DESIGN §8) with short intervals: at most `max` messages while unacknowledged, none
// after an acknowledge, none doubled when the daemon is SIGKILLed and restarted.
class Reminders : public WarRoom {
 protected:
  std::string extra_config() override {
    return "reminders: {unacknowledged_after: \"1s\", repeat_every: \"2s\", max: 3}\n";
  }
  int reminders_in(const json& mm) {
    int n = 0;
    for (const auto& p : mm["posts"])
      n += p["message"].get<std::string>().starts_with("Reminder: INC");
    return n;
  }
  /// True when the incident (and its reminder lane) has no job left to run.
  bool drained(const std::string& id) {
    const auto jobs = admin("/api/v1/incidents/" + id)["jobs"];
    return jobs.is_array() && jobs.empty();
  }
  std::string trigger_and_wait_open() {
    const std::string id =
        control("/control/pagerduty/trigger", {{"title", "Nobody answers"},
                                               {"urgency", "high"},
                                               {"service_id", "PSVC001"}})["incident"]["id"];
    EXPECT_TRUE(eventually([&] {
      const auto steps = admin("/api/v1/incidents/" + id)["steps_done"];
      return steps.is_array() &&
             std::find(steps.begin(), steps.end(), "open.complete") != steps.end();
    }));
    return id;
  }
};

TEST_F(Reminders, MaxMessagesMentioningTheOnCallWhileUnacknowledged) {
  const auto id = trigger_and_wait_open();
  ASSERT_TRUE(eventually([&] { return drained(id); }, 30s));
  const auto mm = state("mattermost");
  EXPECT_EQ(reminders_in(mm), 3) << mm["posts"].dump();
  for (const auto& p : mm["posts"]) {
    const std::string text = p["message"];
    if (text.starts_with("Reminder: INC")) {
      EXPECT_NE(text.find("@alice"), std::string::npos) << text;
    }
  }
}

TEST_F(Reminders, NoneAfterAnAcknowledge) {
  const auto id = trigger_and_wait_open();
  ASSERT_TRUE(eventually([&] { return reminders_in(state("mattermost")) >= 1; }));
  control("/control/pagerduty/acknowledge", {{"incident_id", id}});
  ASSERT_TRUE(
      eventually([&] { return admin("/api/v1/incidents/" + id)["status"] == "acknowledged"; }));
  const int at_ack = reminders_in(state("mattermost"));
  ASSERT_TRUE(eventually([&] { return drained(id); }, 30s));
  EXPECT_EQ(at_ack, 1);  // the second is due 2 s after the first
  EXPECT_EQ(reminders_in(state("mattermost")), at_ack);
}

TEST_F(Reminders, NotDoubledAcrossSigkillAndRestart) {
  const auto id = trigger_and_wait_open();
  ASSERT_TRUE(eventually([&] { return reminders_in(state("mattermost")) >= 1; }));
  daemon_.reset();  // SIGKILL
  daemon_ = std::make_unique<running_daemon>((dir_.path() / "warroom.yaml").string());
  ASSERT_TRUE(daemon_->up()) << daemon_->process().output();
  ASSERT_TRUE(eventually([&] { return drained(id); }, 30s));
  EXPECT_EQ(reminders_in(state("mattermost")), 3) << state("mattermost")["posts"].dump();
}

class OpenPath : public WarRoom {
 protected:
  json holds() { return http_json(ports_["control"], "GET", "/holds").body["held"]; }
  std::size_t held_under(const std::string& prefix) {
    std::size_t n = 0;
    for (const auto& h : holds())
      n += h["path"].get<std::string>().starts_with(prefix) ? 1 : 0;
    return n;
  }
  /// Stops holding requests under `prefix` and answers those held.
  void release(const std::string& prefix) {
    control("/faults/mattermost", {{"route_prefix", prefix}});
    control("/holds/release", {{"service", "mattermost"}, {"route_prefix", prefix}});
  }
  std::vector<json> journal_of(const std::string& method, const std::string& needle) {
    std::vector<json> out;
    const auto journal = http_json(ports_["control"], "GET", "/journal");  // outlives the loop
    for (const auto& r : journal.body["requests"])
      if (r["method"] == method && r["path"].get<std::string>().find(needle) != std::string::npos)
        out.push_back(r);
    return out;
  }
  bool open_complete(const std::string& id) {
    const auto admin = http_json(daemon_->port(), "GET", "/api/v1/incidents/" + id, nullptr,
                                 "Authorization: Bearer admin\r\n");
    if (admin.status != 200) return false;
    const auto& steps = admin.body["steps_done"];
    return std::find(steps.begin(), steps.end(), "open.complete") != steps.end();
  }
};

// Order, not timing: the simulator holds replies, so what was sent before what is certain.
TEST_F(OpenPath, LookupsRunAtOnceAndMembersAreAddedBeforeTheCardIsAnswered) {
  control("/faults/mattermost",
          json::array({{{"route_prefix", "/api/v4/users/email/"}, {"hold", true}},
                       {{"route_prefix", "/api/v4/posts"}, {"hold", true}}}));
  const auto incident = control(
      "/control/pagerduty/trigger",
      {{"title", "Held replies"}, {"urgency", "high"}, {"service_id", "PSVC001"}})["incident"];
  // Alice, Nomad (levels 1) and Bob (level 2): three email lookups in flight at once.
  ASSERT_TRUE(eventually([&] { return held_under("/api/v4/users/email/") == 3; })) << holds();
  release("/api/v4/users/email/");
  // Alice, Bob and the configured carol are added while the card's reply is still held.
  ASSERT_TRUE(eventually([&] {
    return held_under("/api/v4/posts") == 1 && journal_of("POST", "/members").size() == 3;
  })) << holds();
  EXPECT_EQ(held_under("/api/v4/posts"), 1u) << "the card, and not yet the opening message";
  EXPECT_TRUE(card_posts(state("mattermost")).empty());
  EXPECT_EQ(journal_of("POST", "/api/v4/users/usernames").size(), 1u);
  release("/api/v4/posts");
  ASSERT_TRUE(eventually([&] { return open_complete(incident["id"]); })) << holds();
  const auto adds = journal_of("POST", "/members");
  ASSERT_EQ(adds.size(), 3u);
  std::uint64_t opening_seq = 0;
  for (const auto& p : journal_of("POST", "/api/v4/posts"))
    if (p["body"].get<std::string>().find("warroom_incident") == std::string::npos)
      opening_seq = p["seq"];
  for (const auto& a : adds)
    EXPECT_LT(a["seq"].get<std::uint64_t>(), opening_seq) << "the opening message follows the adds";
}

// A warm directory answers the second room's lookups without a request.
TEST_F(OpenPath, TheSecondRoomFindsItsRespondersInTheDirectory) {
  for (const char* title : {"first", "second"}) {
    const auto incident =
        control("/control/pagerduty/trigger",
                {{"title", title}, {"urgency", "high"}, {"service_id", "PSVC001"}})["incident"];
    ASSERT_TRUE(eventually([&] { return open_complete(incident["id"]); }));
  }
  // Nomad has no account, so only he is looked up again.
  EXPECT_EQ(journal_of("GET", "/api/v4/users/email/").size(), 3u + 1u);
  EXPECT_EQ(journal_of("POST", "/api/v4/users/usernames").size(), 1u);
  EXPECT_EQ(journal_of("POST", "/members").size(), 6u);
}

// Killed in the middle of a storm, restarted: every incident still has exactly one of each.
TEST_F(OpenPath, SigkillDuringAStormLeavesOneOfEverythingAfterRestart) {
  for (const char* svc : {"pagerduty", "mattermost", "jira"})
    control(std::string("/faults/") + svc, {{"latency_ms", 20}});
  constexpr int storm = 10;
  std::vector<std::string> ids;
  for (int i = 0; i < storm; ++i)
    ids.push_back(
        control("/control/pagerduty/trigger", {{"title", "storm " + std::to_string(i)},
                                               {"urgency", "high"},
                                               {"service_id", "PSVC001"}})["incident"]["id"]);
  ASSERT_TRUE(eventually([&] { return card_posts(state("mattermost")).size() >= 2; }));
  daemon_->process().signal(SIGKILL);
  daemon_->process().wait_exit(std::chrono::seconds(10));
  daemon_ = std::make_unique<running_daemon>(config_path_);
  ASSERT_TRUE(daemon_->up()) << daemon_->process().output();
  for (const auto& id : ids)
    ASSERT_TRUE(eventually([&] { return open_complete(id); }, 60s)) << id;
  const auto mm = state("mattermost");
  EXPECT_EQ(mm["channels"].size(), static_cast<std::size_t>(storm));
  EXPECT_EQ(card_posts(mm).size(), static_cast<std::size_t>(storm));
  EXPECT_EQ(state("jira")["issues"].size(), static_cast<std::size_t>(storm));
  std::set<std::string> carded;
  for (const auto& c : card_posts(mm))
    carded.insert(c["props"]["warroom_incident"].get<std::string>());
  EXPECT_EQ(carded.size(), static_cast<std::size_t>(storm));
}

// Killed after PagerDuty wrote the opening note but before the daemon learned it: the restarted
// daemon finds the note by its marker in the incident's notes and does not write a second one.
TEST_F(OpenPath, TheOpeningNoteIsNotDoubledWhenKilledAfterThePost) {
  control("/faults/pagerduty", {{"route_prefix", "/incidents/"}, {"hold", true}});
  const std::string id = control(
      "/control/pagerduty/trigger",
      {{"title", "Note once"}, {"urgency", "high"}, {"service_id", "PSVC001"}})["incident"]["id"];
  const std::string notes_path = "/incidents/" + id + "/notes";
  ASSERT_TRUE(eventually([&] {
    for (const auto& h : holds())
      if (h["path"] == notes_path) return true;
    return false;
  }));
  control("/faults/pagerduty", {{"route_prefix", "/incidents/"}});  // no more holding
  daemon_->process().signal(SIGKILL);
  daemon_->process().wait_exit(std::chrono::seconds(10));
  // The held POST is answered now, to nobody: PagerDuty has the note, the daemon never knew.
  control("/holds/release", {{"service", "pagerduty"}, {"route_prefix", "/incidents/"}});
  auto notes_in_pd = [&] {
    int n = 0;
    const auto incident = incident_in_pd(id);  // the loop must not outlive its incident
    for (const auto& note : incident["notes"])
      n += note["content"].get<std::string>().find("warroom-ref: open/" + id) != std::string::npos;
    return n;
  };
  ASSERT_TRUE(eventually([&] { return notes_in_pd() == 1; })) << incident_in_pd(id).dump();
  daemon_ = std::make_unique<running_daemon>(config_path_);
  ASSERT_TRUE(daemon_->up()) << daemon_->process().output();
  ASSERT_TRUE(eventually([&] { return open_complete(id); }, 60s));
  EXPECT_EQ(notes_in_pd(), 1) << incident_in_pd(id).dump();
  EXPECT_FALSE(journal_of("GET", notes_path).empty());
  EXPECT_EQ(journal_of("POST", notes_path).size(), 1u);
  check_requests_against_specs();
}

// Killed after Mattermost stored a status message but before the daemon learned it: the
// restarted daemon finds the message by the step it names and does not post it again.
TEST_F(OpenPath, AStatusMessageIsNotDoubledWhenKilledAfterThePost) {
  const std::string id = control(
      "/control/pagerduty/trigger",
      {{"title", "Say once"}, {"urgency", "high"}, {"service_id", "PSVC001"}})["incident"]["id"];
  ASSERT_TRUE(eventually([&] { return open_complete(id); }));
  control("/faults/mattermost", {{"route_prefix", "/api/v4/posts"}, {"hold", true}});
  control("/control/pagerduty/acknowledge", {{"incident_id", id}, {"from", "alice@example.com"}});
  ASSERT_TRUE(eventually([&] { return held_under("/api/v4/posts") == 1; }));
  control("/faults/mattermost", {{"route_prefix", "/api/v4/posts"}});
  daemon_->process().signal(SIGKILL);
  daemon_->process().wait_exit(std::chrono::seconds(10));
  control("/holds/release", {{"service", "mattermost"}, {"route_prefix", "/api/v4/posts"}});
  auto acknowledged = [&] {
    int n = 0;
    const auto mm = state("mattermost");
    for (const auto& p : mm["posts"])
      n += p["message"].get<std::string>().find("Acknowledged by Alice") != std::string::npos;
    return n;
  };
  ASSERT_TRUE(eventually([&] { return acknowledged() == 1; })) << state("mattermost")["posts"];
  daemon_ = std::make_unique<running_daemon>(config_path_);
  ASSERT_TRUE(daemon_->up()) << daemon_->process().output();
  ASSERT_TRUE(eventually([&] {
    const auto posts = card_posts(state("mattermost"));
    return posts.size() == 1 &&
           posts[0]["props"]["attachments"][0].value("actions", json::array()).size() == 1;
  }));  // the job ran to its end after the restart
  EXPECT_EQ(acknowledged(), 1) << state("mattermost")["posts"];
}

// PagerDuty resolved the incident while the daemon was down and gave up on the webhook: a click
// on Acknowledge, on the card that still shows it, must not reopen the incident.
TEST_F(OpenPath, ALateAcknowledgeClickDoesNotReopenAResolvedIncident) {
  const std::string id = control(
      "/control/pagerduty/trigger",
      {{"title", "Too late"}, {"urgency", "high"}, {"service_id", "PSVC001"}})["incident"]["id"];
  ASSERT_TRUE(eventually([&] { return open_complete(id); }));
  daemon_->process().signal(SIGKILL);
  daemon_->process().wait_exit(std::chrono::seconds(10));
  control("/control/pagerduty/resolve", {{"incident_id", id}, {"from", "alice@example.com"}});
  ASSERT_TRUE(eventually(
      [&] {
        const auto sent = http_json(ports_["control"], "GET", "/webhooks?purpose=webhook").body;
        for (const auto& d : sent["deliveries"])
          if (d["event_type"] == "incident.resolved" && d["outcome"] == "failed") return true;
        return false;
      },
      30s));
  daemon_ = std::make_unique<running_daemon>(config_path_);
  ASSERT_TRUE(daemon_->up()) << daemon_->process().output();
  const std::string card = card_posts(state("mattermost"))[0]["id"];
  control(
      "/control/mattermost/click",
      {{"post_id", card}, {"action_id", "acknowledge"}, {"user_id", "bob0000000000000000000000b"}});
  ASSERT_TRUE(eventually([&] {
    const auto clicks = state("mattermost")["clicks"];
    return clicks.size() == 1 && clicks[0]["integration_status"] == 200;
  }));
  ASSERT_TRUE(eventually([&] { return admin("/api/v1/incidents/" + id)["jobs"].empty(); }));
  EXPECT_EQ(incident_in_pd(id)["status"], "resolved");
  EXPECT_TRUE(journal_of("PUT", "/incidents/" + id).empty());
}

}  // namespace
}  // namespace warroom::test
