// Routing rules (DESIGN §8) end to end: warroomd against warroom-sim, each incident in its route's
// team, project, channel and responder set.
#include "war_room_fixture.hpp"

namespace warroom::test {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;

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

}  // namespace
}  // namespace warroom::test
