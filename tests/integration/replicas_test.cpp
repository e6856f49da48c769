// Several warroomd replicas sharing one PostgreSQL database, driven end to end through
// warroom-sim: PagerDuty delivers every webhook to both replicas, and one is SIGKILLed while the
// war rooms open. The survivor finishes every war room exactly once.
#include <chrono>
#include <set>

#include "support/postgres_cluster.hpp"
#include "war_room_fixture.hpp"

namespace warroom::test {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;

class Replicas : public WarRoom {
 protected:
  void adjust_config(const std::string& config_path) override {
    std::ifstream in(config_path);
    std::string text((std::istreambuf_iterator<char>(in)), {});
    const auto from = text.find("  path: \"");
    ASSERT_NE(from, std::string::npos);
    const auto to = text.find('\n', from);
    text.replace(from, to - from, "  postgres_url: \"" + database_.url() + "\"");
    std::ofstream(config_path) << text;
  }

  /// A second replica: the same config on another port, subscribed to the same webhooks.
  void start_second_replica() {
    std::ifstream in(config_path_);
    std::string text((std::istreambuf_iterator<char>(in)), {});
    const std::string port = std::to_string(daemon_->port());
    const std::string other = std::to_string(free_port());
    const auto listen = text.find("listen: \"127.0.0.1:" + port + "\"");
    ASSERT_NE(listen, std::string::npos);
    text.replace(listen, 19 + port.size(), "listen: \"127.0.0.1:" + other);
    const auto second_path = config_path_ + ".b";
    std::ofstream(second_path) << text;
    second_ = std::make_unique<running_daemon>(second_path);
    ASSERT_TRUE(second_->up()) << second_->process().output();
    control(
        "/control/pagerduty/subscribe",
        {{"url", "http://127.0.0.1:" + std::to_string(second_->port()) + "/webhooks/pagerduty"}});
  }

  postgres_database_scratch database_;
  std::unique_ptr<running_daemon> second_;
};

TEST_F(Replicas, AReplicaKilledMidStormLeavesEveryWarRoomToTheSurvivorExactlyOnce) {
  start_second_replica();
  for (const char* svc : {"pagerduty", "mattermost", "jira"})
    control(std::string("/faults/") + svc, {{"latency_ms", 10}});
  constexpr int storm = 30;
  const auto ids = trigger_storm(storm, "replica storm");
  ASSERT_TRUE(eventually([&] { return card_posts(state("mattermost")).size() >= 3; }));
  daemon_->process().signal(SIGKILL);
  daemon_->process().wait_exit(10s);
  const auto killed_at = std::chrono::steady_clock::now();
  // The dead replica's leases (10 s) run out, then the survivor takes its jobs over; an open
  // killed inside a Jira create also waits out Jira's index grace (30 s).
  for (const auto& id : ids)
    ASSERT_TRUE(eventually([&] { return open_complete(id, second_->port()); }, 90s)) << id;
  const auto took = std::chrono::duration_cast<std::chrono::milliseconds>(
      std::chrono::steady_clock::now() - killed_at);
  std::cerr << "every war room complete " << took.count() << " ms after the kill\n";
  expect_one_room_each(storm);
  check_requests_against_specs();
}

TEST_F(Replicas, EitherReplicaAnswersForTheWarRoomsTheOtherOpened) {
  start_second_replica();
  const std::string id =
      control("/control/pagerduty/trigger", {{"title", "seen by both"},
                                             {"urgency", "high"},
                                             {"service_id", "PSVC001"}})["incident"]["id"];
  ASSERT_TRUE(eventually([&] { return open_complete(id); }));
  EXPECT_TRUE(open_complete(id, second_->port()));
  EXPECT_EQ(card_posts(state("mattermost")).size(), 1u);
  const auto ready = http_json(second_->port(), "GET", "/readyz");
  EXPECT_EQ(ready.status, 200u) << ready.body.dump();
}

}  // namespace
}  // namespace warroom::test
