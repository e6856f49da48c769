// The open path end to end: concurrent lookups, the user directory, and every create or post
// that a SIGKILL at the wrong moment could double.
#include "war_room_fixture.hpp"

namespace warroom::test {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;

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
  const auto ids = trigger_storm(storm, "storm");
  ASSERT_TRUE(eventually([&] { return card_posts(state("mattermost")).size() >= 2; }));
  daemon_->process().signal(SIGKILL);
  daemon_->process().wait_exit(std::chrono::seconds(10));
  daemon_ = std::make_unique<running_daemon>(config_path_);
  ASSERT_TRUE(daemon_->up()) << daemon_->process().output();
  // An open killed between marking its Jira create and recording the key waits out Jira's
  // search-index grace (30 s) before creating again.
  for (const auto& id : ids)
    ASSERT_TRUE(eventually([&] { return open_complete(id); }, 90s)) << id;
  expect_one_room_each(storm);
}

// Killed while its issue create was on the way, which Jira never got: the restarted daemon cannot
// tell that from an issue its search index does not show yet, so it waits out the grace, then
// creates exactly one.
TEST_F(OpenPath, AnIssueCreateLostToAKillIsMadeOnceAfterTheIndexGrace) {
  control("/faults/jira", {{"route_prefix", "/rest/api/3/issue"}, {"hold", true}});
  const std::string id = control(
      "/control/pagerduty/trigger",
      {{"title", "Lost create"}, {"urgency", "high"}, {"service_id", "PSVC001"}})["incident"]["id"];
  ASSERT_TRUE(eventually([&] {
    for (const auto& h : holds())
      if (h["path"] == "/rest/api/3/issue") return true;
    return false;
  })) << holds();
  control("/faults/jira", {{"route_prefix", "/rest/api/3/issue"}});  // no more holding
  daemon_->process().signal(SIGKILL);
  daemon_->process().wait_exit(std::chrono::seconds(10));
  daemon_ = std::make_unique<running_daemon>(config_path_);
  ASSERT_TRUE(daemon_->up()) << daemon_->process().output();
  ASSERT_TRUE(eventually([&] { return open_complete(id); }, 60s))
      << admin("/api/v1/incidents/" + id).dump();
  EXPECT_EQ(state("jira")["issues"].size(), 1u);
  EXPECT_EQ(card_posts(state("mattermost")).size(), 1u);
}

// Jira unreachable (nothing listens on its port): the issue create never left, so it made nothing.
// Once Jira is back, the open creates the issue at once, without searching for one first or
// waiting out the search index's grace.
TEST_F(OpenPath, AnIssueCreateThatNeverLeftIsMadeWithoutTheIndexGrace) {
  // Quoted as in the config file, so no longer port number that starts the same matches.
  const std::string jira = "\"http://127.0.0.1:" + std::to_string(ports_["jira"]) + "\"";
  const std::string nowhere = "\"http://127.0.0.1:" + std::to_string(free_port()) + "\"";
  const auto restart_with = [&](const std::string& from, const std::string& to) {
    daemon_->process().signal(SIGTERM);
    daemon_->process().wait_exit(std::chrono::seconds(10));
    replace_in(config_path_, from, to);
    daemon_ = std::make_unique<running_daemon>(config_path_);
    ASSERT_TRUE(daemon_->up()) << daemon_->process().output();
  };
  restart_with(jira, nowhere);
  const std::string id = control(
      "/control/pagerduty/trigger",
      {{"title", "Jira away"}, {"urgency", "high"}, {"service_id", "PSVC001"}})["incident"]["id"];
  // A failed attempt: the open job is back in the queue with Jira's connect error.
  ASSERT_TRUE(eventually([&] {
    const json detail = admin("/api/v1/incidents/" + id);
    if (!detail.is_object() || !detail.contains("jobs")) return false;  // not stored yet
    for (const auto& j : detail["jobs"])
      if (j.value("last_error", "").find("jira") != std::string::npos) return true;
    return false;
  })) << admin("/api/v1/incidents/" + id).dump();
  restart_with(nowhere, jira);
  ASSERT_TRUE(eventually([&] { return open_complete(id); }, 20s))
      << admin("/api/v1/incidents/" + id).dump();
  EXPECT_TRUE(journal_of("GET", "/rest/api/3/search").empty());
  EXPECT_EQ(state("jira")["issues"].size(), 1u);
  EXPECT_EQ(card_posts(state("mattermost")).size(), 1u);
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
// PagerDuty resolved the incident while warroomd was down past its webhook retries. The late
// Acknowledge click finds it resolved: it must not reopen it, and it applies the resolve the lost
// webhook carried (room resolved, Jira issue done, reminders gone), as PagerDuty's.
TEST_F(OpenPath, ALateAcknowledgeClickAppliesTheResolveItFindsInsteadOfReopening) {
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
  ASSERT_TRUE(eventually([&] {
    const auto detail = admin("/api/v1/incidents/" + id);
    return detail.is_object() && detail["status"] == "resolved";
  })) << admin("/api/v1/incidents/" + id).dump();
  ASSERT_TRUE(eventually([&] {
    const auto issues = state("jira")["issues"];
    return issues.size() == 1 && issues[0].value("status_category", "") == "done";
  })) << state("jira").dump();
  // Recorded as PagerDuty's resolve, not as Bob's acknowledge; reminders cancel themselves when
  // they come due and find the room resolved.
  const auto detail = admin("/api/v1/incidents/" + id);
  bool resolve_audited = false;
  for (const auto& line : detail["audit"])
    resolve_audited =
        resolve_audited || (line["action"] == "resolve" && line["source"] == "pagerduty");
  EXPECT_TRUE(resolve_audited) << detail.dump();
  EXPECT_EQ(state("mattermost")["clicks"].size(), 1u);
  EXPECT_EQ(incident_in_pd(id)["status"], "resolved");
  EXPECT_TRUE(journal_of("PUT", "/incidents/" + id).empty());
}

}  // namespace
}  // namespace warroom::test
