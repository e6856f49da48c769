// Reminders (DESIGN §8) end to end: warroomd against warroom-sim with short intervals.
#include "war_room_fixture.hpp"

namespace warroom::test {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;

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

}  // namespace
}  // namespace warroom::test
