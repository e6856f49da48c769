// Archiving (DESIGN §8 `archive.after_resolved`), black-box against warroom-sim: the channel is
// archived after the delay with one last message, restored when the incident reopens (a pending
// archive cancelled), never archived while unresolved, and not doubled across a SIGKILL.
#include "support/raw_client.hpp"
#include "war_room_fixture.hpp"

namespace warroom::test {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;

constexpr std::string_view archiving_prefix = "Archiving this channel:";

class Archive : public WarRoom {
 protected:
  std::string extra_config() override {
    // No reminders: their jobs, due minutes later, would keep the incident's queue from draining.
    return "archive: {after_resolved: \"" + after_resolved() +
           "\"}\nreminders: {unacknowledged_after: \"0s\"}\n";
  }
  virtual std::string after_resolved() { return "1s"; }

  struct opened {
    std::string id;
    std::string channel_id;
  };
  opened trigger_and_wait_open(const std::string& title) {
    const auto incident =
        control("/control/pagerduty/trigger",
                {{"title", title}, {"urgency", "high"}, {"service_id", "PSVC001"}})["incident"];
    const std::string id = incident["id"];
    EXPECT_TRUE(eventually([&] { return has_step(id, "open.complete"); })) << admin_of(id).dump();
    const std::string room_channel = admin_of(id)["channel"].value("id", "");
    EXPECT_NE(room_channel, "");
    return {id, room_channel};
  }
  json admin_of(const std::string& id) { return admin("/api/v1/incidents/" + id); }
  bool has_step(const std::string& id, const std::string& step) {
    const auto steps = admin_of(id)["steps_done"];
    return steps.is_array() && std::find(steps.begin(), steps.end(), step) != steps.end();
  }
  /// No job of the incident (its own lane, reminders, archive) is left to run.
  bool drained(const std::string& id) {
    const auto jobs = admin_of(id)["jobs"];
    return jobs.is_array() && jobs.empty();
  }
  json channel(const std::string& channel_id) {
    const auto mm = state("mattermost");  // outlives the loop
    for (const auto& c : mm["channels"])
      if (c["id"] == channel_id) return c;
    return nullptr;
  }
  bool archived(const std::string& channel_id) {
    const auto c = channel(channel_id);
    return c.is_object() && c["delete_at"].get<std::int64_t>() != 0;
  }
  /// Root posts of the channel in the order they were made.
  std::vector<std::string> messages_in(const std::string& channel_id) {
    std::vector<std::string> out;
    const auto mm = state("mattermost");
    for (const auto& p : mm["posts"])
      if (p["channel_id"] == channel_id) out.push_back(p["message"]);
    return out;
  }
  int archiving_messages(const std::string& channel_id) {
    int n = 0;
    for (const auto& m : messages_in(channel_id))
      n += m.starts_with(archiving_prefix) ? 1 : 0;
    return n;
  }
  std::size_t journal_count(const std::string& method, const std::string& path) {
    std::size_t n = 0;
    const auto journal = http_json(ports_["control"], "GET", "/journal");
    for (const auto& r : journal.body["requests"])
      n += r["method"] == method && r["path"] == path ? 1 : 0;
    return n;
  }
  std::string metrics() {
    raw_client scrape(daemon_->port());
    scrape.send(get_request("/metrics"));
    return scrape.read_response(10s);
  }
  void resolve_in_pagerduty(const std::string& id) {
    control("/control/pagerduty/resolve", {{"incident_id", id}});
    ASSERT_TRUE(eventually([&] { return admin_of(id)["status"] == "resolved"; }))
        << admin_of(id).dump();
  }
};

TEST_F(Archive, ArchivedAfterTheDelayWithOneLastMessage) {
  const auto room = trigger_and_wait_open("Checkout returns 500");
  resolve_in_pagerduty(room.id);
  ASSERT_TRUE(eventually([&] { return archived(room.channel_id); }, 30s))
      << state("mattermost")["channels"].dump();
  ASSERT_TRUE(eventually([&] { return drained(room.id); }, 30s)) << admin_of(room.id).dump();
  const auto messages = messages_in(room.channel_id);
  ASSERT_FALSE(messages.empty());
  EXPECT_TRUE(messages.back().starts_with(archiving_prefix)) << messages.back();
  EXPECT_NE(messages.back().find("comes back if the incident reopens"), std::string::npos);
  EXPECT_EQ(archiving_messages(room.channel_id), 1);
  EXPECT_EQ(journal_count("DELETE", "/api/v4/channels/" + room.channel_id), 1u);
  EXPECT_EQ(admin_of(room.id)["channel"]["archived"], true);
  EXPECT_NE(metrics().find("warroom_channels_archived_total{route=\"default\"} 1"),
            std::string::npos);
  check_requests_against_specs();
}

TEST_F(Archive, NeverArchivedWhileUnresolved) {
  // The resolved room is the clock: once it is archived, the other room's delay has passed too.
  const auto open_room = trigger_and_wait_open("Still burning");
  const auto resolved_room = trigger_and_wait_open("Put out");
  control("/control/pagerduty/acknowledge", {{"incident_id", open_room.id}});
  ASSERT_TRUE(eventually([&] { return admin_of(open_room.id)["status"] == "acknowledged"; }));
  resolve_in_pagerduty(resolved_room.id);
  ASSERT_TRUE(eventually([&] { return archived(resolved_room.channel_id); }, 30s));
  ASSERT_TRUE(eventually([&] { return drained(open_room.id); }, 30s));
  EXPECT_FALSE(archived(open_room.channel_id));
  EXPECT_EQ(archiving_messages(open_room.channel_id), 0);
  EXPECT_EQ(journal_count("DELETE", "/api/v4/channels/" + open_room.channel_id), 0u);
  const auto detail = admin_of(open_room.id);
  for (const auto& step : detail["steps_done"])
    EXPECT_FALSE(step.get<std::string>().starts_with("archive.")) << step;
}

TEST_F(Archive, RestoredOnReopenThenArchivedAgainAfterTheNextResolve) {
  const auto room = trigger_and_wait_open("Flapping");
  resolve_in_pagerduty(room.id);
  ASSERT_TRUE(eventually([&] { return archived(room.channel_id); }, 30s));
  ASSERT_TRUE(eventually([&] { return drained(room.id); }, 30s));

  // Acknowledging a resolved incident reopens it (incident.reopened, then acknowledged).
  control("/control/pagerduty/acknowledge", {{"incident_id", room.id}});
  ASSERT_TRUE(eventually([&] { return admin_of(room.id)["status"] == "acknowledged"; }))
      << admin_of(room.id).dump();
  EXPECT_FALSE(archived(room.channel_id));
  EXPECT_EQ(admin_of(room.id)["channel"]["archived"], false);
  // The reopen's own effects landed in the restored channel: its message and the Resolve button.
  const auto messages = messages_in(room.channel_id);
  const auto archiving = std::find_if(messages.begin(), messages.end(), [](const std::string& m) {
    return m.starts_with(archiving_prefix);
  });
  ASSERT_NE(archiving, messages.end());
  EXPECT_NE(std::find_if(archiving, messages.end(),
                         [](const std::string& m) {
                           return m.find("Incident reopened") != std::string::npos;
                         }),
            messages.end())
      << json(messages).dump();
  const auto cards = card_posts(state("mattermost"));
  ASSERT_EQ(cards.size(), 1u);
  EXPECT_TRUE(cards[0]["props"]["attachments"][0].contains("actions")) << cards[0].dump();
  EXPECT_NE(metrics().find("warroom_channels_restored_total{route=\"default\"} 1"),
            std::string::npos);

  // A second resolve schedules an archive of its own.
  resolve_in_pagerduty(room.id);
  ASSERT_TRUE(eventually([&] { return archived(room.channel_id); }, 30s));
  ASSERT_TRUE(eventually([&] { return drained(room.id); }, 30s));
  EXPECT_EQ(archiving_messages(room.channel_id), 2);
  EXPECT_EQ(journal_count("DELETE", "/api/v4/channels/" + room.channel_id), 2u);
  check_requests_against_specs();
}

// A delay long enough for the reopen to come first.
class ArchiveLater : public Archive {
 protected:
  std::string after_resolved() override { return "4s"; }
};

TEST_F(ArchiveLater, AReopenCancelsThePendingArchive) {
  const auto room = trigger_and_wait_open("Back again");
  resolve_in_pagerduty(room.id);
  ASSERT_TRUE(eventually([&] {
    const auto detail = admin_of(room.id);
    for (const auto& job : detail["jobs"])
      if (job["kind"] == "archive") return true;
    return false;
  })) << admin_of(room.id).dump();
  control("/control/pagerduty/acknowledge", {{"incident_id", room.id}});
  ASSERT_TRUE(eventually([&] { return admin_of(room.id)["status"] == "acknowledged"; }));
  // The archive job still runs when due, finds its resolve undone and does nothing.
  ASSERT_TRUE(eventually([&] { return drained(room.id); }, 30s)) << admin_of(room.id).dump();
  EXPECT_FALSE(archived(room.channel_id));
  EXPECT_EQ(archiving_messages(room.channel_id), 0);
  EXPECT_EQ(journal_count("DELETE", "/api/v4/channels/" + room.channel_id), 0u);
}

TEST_F(Archive, NotDoubledAcrossSigkillAndRestart) {
  const auto room = trigger_and_wait_open("Killed mid-archive");
  const std::string target = "/api/v4/channels/" + room.channel_id;
  // The archive request is held: the daemon dies with the channel archived and no answer read.
  control("/faults/mattermost", json::array({{{"route_prefix", target}, {"hold", true}}}));
  resolve_in_pagerduty(room.id);
  ASSERT_TRUE(eventually(
      [&] {
        const auto holds = http_json(ports_["control"], "GET", "/holds");
        for (const auto& h : holds.body["held"])
          if (h["path"] == target) return true;
        return false;
      },
      30s))
      << admin_of(room.id).dump();
  daemon_.reset();  // SIGKILL
  control("/faults/mattermost", {{"route_prefix", target}});
  control("/holds/release", {{"service", "mattermost"}, {"route_prefix", target}});
  ASSERT_TRUE(eventually([&] { return archived(room.channel_id); }));

  daemon_ = std::make_unique<running_daemon>((dir_.path() / "warroom.yaml").string());
  ASSERT_TRUE(daemon_->up()) << daemon_->process().output();
  ASSERT_TRUE(eventually([&] { return drained(room.id); }, 30s)) << admin_of(room.id).dump();
  EXPECT_TRUE(archived(room.channel_id));
  EXPECT_EQ(archiving_messages(room.channel_id), 1);
  // The restarted job asked again (answered "archived already") but did not post again.
  EXPECT_GE(journal_count("DELETE", target), 2u);
  EXPECT_EQ(admin_of(room.id)["channel"]["archived"], true) << admin_of(room.id).dump();
  check_requests_against_specs();
}

}  // namespace
}  // namespace warroom::test
