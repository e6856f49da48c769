// Durable intake, black-box: the real warroomd, real sockets, the SQLite file on disk.
#include <atomic>
#include <map>
#include <set>
#include <sys/mount.h>
#include <thread>

#include <gtest/gtest.h>

#include <warroom/store/connection.hpp>

#include "support/daemon_harness.hpp"

namespace warroom::test {
namespace {

using namespace std::chrono_literals;

std::int64_t query_int(const std::string& db_path, const std::string& sql) {
  auto conn = store::connection::open(db_path, store::connection::mode::read_only, 5000);
  EXPECT_TRUE(conn.has_value());
  if (!conn) return -1;
  auto value = (*conn)->query_int(sql);
  EXPECT_TRUE(value.has_value()) << sql;
  return value ? *value : -1;
}

unsigned post_webhook(std::uint16_t port, const std::string& body, const std::string& id) {
  raw_client client(port);
  client.send(signed_webhook_request(body, id));
  return status_of(client.read_response());
}

TEST(Intake, EveryAcknowledgedDeliverySurvivesSigkillExactlyOnce) {
  temp_dir dir("crash");
  const std::string db = (dir.path() / "warroom.db").string();
  const auto config = write_daemon_config(dir.path(), db);
  std::set<std::string> acknowledged;
  for (int round = 0; round < 12; ++round) {
    running_daemon daemon(config);
    ASSERT_TRUE(daemon.up()) << daemon.process().output();
    const std::string id = "WH-" + std::to_string(round);
    const auto body = pagerduty_event_body("EV-" + std::to_string(round), "incident.triggered",
                                           "QINC" + std::to_string(round % 4), round);
    raw_client client(daemon.port());
    client.send(signed_webhook_request(body, id));
    // A redelivery of the previous round's webhook, already stored before the last kill.
    if (round > 0) {
      const auto prev =
          pagerduty_event_body("EV-" + std::to_string(round - 1), "incident.triggered",
                               "QINC" + std::to_string((round - 1) % 4), round - 1);
      client.send(signed_webhook_request(prev, "WH-" + std::to_string(round - 1)));
    }
    const auto status = status_of(client.read_response());
    daemon.process().signal(SIGKILL);  // right after the 202: no graceful anything
    ASSERT_EQ(status, 202u);
    acknowledged.insert(id);
    if (round > 0) {
      const auto again = status_of(client.read_response(2s));
      // Killed before or after answering; when it answered, it must have said duplicate.
      EXPECT_TRUE(again == 0u || again == 200u) << again;
    }
    daemon.process().wait_exit(10s);
  }
  EXPECT_EQ(query_int(db, "SELECT count(*) FROM deliveries"),
            static_cast<std::int64_t>(acknowledged.size()));
  EXPECT_EQ(query_int(db, "SELECT count(*) FROM jobs"),
            static_cast<std::int64_t>(acknowledged.size()));
  EXPECT_EQ(query_int(db, "SELECT count(DISTINCT delivery_id) FROM deliveries"),
            static_cast<std::int64_t>(acknowledged.size()));
  for (const auto& id : acknowledged)
    EXPECT_EQ(query_int(db, "SELECT count(*) FROM deliveries WHERE delivery_id = '" + id + "'"), 1)
        << id;
}

TEST(Intake, ThousandConcurrentDuplicatesMakeOneJob) {
  temp_dir dir("dupes");
  const std::string db = (dir.path() / "warroom.db").string();
  running_daemon daemon(write_daemon_config(dir.path(), db));
  ASSERT_TRUE(daemon.up());
  const auto body = pagerduty_event_body("EV-DUP", "incident.triggered", "QDUP");
  const auto request = signed_webhook_request(body, "WH-DUP");
  std::atomic<int> accepted{0}, duplicate{0}, other{0};
  std::vector<std::thread> senders;
  for (int t = 0; t < 50; ++t) {
    senders.emplace_back([&] {
      raw_client client(daemon.port());
      std::string burst;
      for (int i = 0; i < 20; ++i)
        burst += request;  // pipelined on one keep-alive connection
      client.send(burst);
      for (int i = 0; i < 20; ++i) {
        const auto s = status_of(client.read_response(20s));
        (s == 202 ? accepted : s == 200 ? duplicate : other)++;
      }
    });
  }
  for (auto& s : senders)
    s.join();
  EXPECT_EQ(accepted.load(), 1);
  EXPECT_EQ(duplicate.load(), 999);
  EXPECT_EQ(other.load(), 0);
  EXPECT_EQ(query_int(db, "SELECT count(*) FROM jobs"), 1);
  EXPECT_EQ(query_int(db, "SELECT count(*) FROM deliveries"), 1);
}

TEST(Intake, PerIncidentArrivalOrderIsKeptAcrossConcurrentIncidents) {
  temp_dir dir("order");
  const std::string db = (dir.path() / "warroom.db").string();
  running_daemon daemon(write_daemon_config(dir.path(), db));
  ASSERT_TRUE(daemon.up());
  const char* types[] = {"incident.triggered", "incident.acknowledged", "incident.annotated",
                         "incident.priority_updated", "incident.resolved"};
  std::vector<std::thread> incidents;
  for (int inc = 0; inc < 10; ++inc) {
    incidents.emplace_back([&, inc] {
      raw_client client(daemon.port());
      for (int seq = 0; seq < 10; ++seq) {  // PagerDuty sends one incident's webhooks in order
        const auto id = "WH-" + std::to_string(inc) + "-" + std::to_string(10 + seq);
        client.send(signed_webhook_request(
            pagerduty_event_body("EV-" + std::to_string(inc) + "-" + std::to_string(seq),
                                 types[seq % 5], "QORD" + std::to_string(inc)),
            id));
        EXPECT_EQ(status_of(client.read_response(10s)), 202u);
      }
    });
  }
  for (auto& t : incidents)
    t.join();
  EXPECT_EQ(query_int(db, "SELECT count(*) FROM jobs"), 100);
  // Job ids (the dispatch order) follow each incident's arrival order.
  for (int inc = 0; inc < 10; ++inc) {
    const auto out_of_order = query_int(
        db,
        "SELECT count(*) FROM deliveries a JOIN jobs ja ON ja.id = a.job_id, deliveries b "
        "JOIN jobs jb ON jb.id = b.job_id WHERE ja.incident_id = 'QORD" +
            std::to_string(inc) +
            "' AND jb.incident_id = ja.incident_id AND a.delivery_id < b.delivery_id "
            "AND a.job_id > b.job_id");
    EXPECT_EQ(out_of_order, 0) << "incident " << inc;
  }
}

TEST(Intake, ForgedRequestsStoreNothing) {
  temp_dir dir("forged");
  const std::string db = (dir.path() / "warroom.db").string();
  running_daemon daemon(write_daemon_config(dir.path(), db));
  ASSERT_TRUE(daemon.up());
  const auto body = pagerduty_event_body("EV-F", "incident.triggered", "QF");
  {
    raw_client client(daemon.port());
    client.send(signed_webhook_request(body, "WH-F", "wrong-secret"));
    EXPECT_EQ(status_of(client.read_response()), 401u);
  }
  {
    raw_client client(daemon.port());
    const std::string click =
        R"({"user_id":"u","channel_id":"c","context":{"action":"resolve","incident_id":"QF","token":"v1.k.x.y"}})";
    client.send(
        "POST /webhooks/mattermost HTTP/1.1\r\nHost: w\r\nContent-Type: "
        "application/json\r\nContent-Length: " +
        std::to_string(click.size()) + "\r\n\r\n" + click);
    EXPECT_EQ(status_of(client.read_response()), 403u);
  }
  EXPECT_EQ(query_int(db, "SELECT count(*) FROM deliveries"), 0);
  EXPECT_EQ(query_int(db, "SELECT count(*) FROM jobs"), 0);
}

/// A real full disk: the database lives on a 4 MiB tmpfs that the test fills and then frees.
class FullDisk : public ::testing::Test {
 protected:
  void SetUp() override {
    mount_ = dir_.path() / "disk";
    std::filesystem::create_directories(mount_);
    if (::mount("tmpfs", mount_.c_str(), "tmpfs", 0, "size=4m") != 0)
      GTEST_SKIP() << "cannot mount a tmpfs here (needs root): " << std::strerror(errno);
    mounted_ = true;
  }
  void TearDown() override {
    if (mounted_) ::umount2(mount_.c_str(), MNT_DETACH);
  }
  void fill() {
    std::ofstream filler(mount_ / "filler", std::ios::binary);
    const std::string block(64 * 1024, 'x');
    while (filler.write(block.data(), static_cast<std::streamsize>(block.size())) &&
           filler.flush()) {
    }
  }
  temp_dir dir_{"fulldisk"};
  std::filesystem::path mount_;
  bool mounted_ = false;
};

TEST_F(FullDisk, StoreThatCannotWriteAnswers503ThenRecovers) {
  const std::string db = (mount_ / "warroom.db").string();
  running_daemon daemon(write_daemon_config(dir_.path(), db));
  ASSERT_TRUE(daemon.up()) << daemon.process().output();
  ASSERT_EQ(post_webhook(daemon.port(), pagerduty_event_body("EV-1", "incident.triggered", "QD1"),
                         "WH-1"),
            202u);

  fill();
  unsigned refused = 0;
  // Each webhook is several KB; one of the first few must hit the full disk.
  for (int i = 2; i < 40 && refused == 0; ++i) {
    const auto status =
        post_webhook(daemon.port(),
                     pagerduty_event_body("EV-" + std::to_string(i), "incident.triggered",
                                          "QD" + std::to_string(i), i, std::string(3000, 't')),
                     "WH-" + std::to_string(i));
    if (status == 503)
      refused = static_cast<unsigned>(i);
    else
      EXPECT_EQ(status, 202u);
  }
  ASSERT_NE(refused, 0u) << "the full disk never refused a commit";
  raw_client ready(daemon.port());
  ready.send(get_request("/readyz"));
  EXPECT_EQ(status_of(ready.read_response()), 503u);

  std::filesystem::remove(mount_ / "filler");
  // PagerDuty retries the refused webhook; now it is stored.
  const auto retry = pagerduty_event_body("EV-" + std::to_string(refused), "incident.triggered",
                                          "QD" + std::to_string(refused), static_cast<int>(refused),
                                          std::string(3000, 't'));
  EXPECT_EQ(post_webhook(daemon.port(), retry, "WH-" + std::to_string(refused)), 202u);
  raw_client ready_again(daemon.port());
  ready_again.send(get_request("/readyz"));
  EXPECT_EQ(status_of(ready_again.read_response()), 200u);
  daemon.process().signal(SIGTERM);
  EXPECT_EQ(daemon.process().wait_exit(15s), 0);
  EXPECT_EQ(query_int(db, "SELECT count(*) FROM deliveries WHERE delivery_id = 'WH-" +
                              std::to_string(refused) + "'"),
            1);
}

}  // namespace
}  // namespace warroom::test
