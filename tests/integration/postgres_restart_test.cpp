// PostgreSQL restarted while webhooks arrive: every delivery warroomd answered 2xx is in the
// database afterwards, the others got 503 (PagerDuty retries those), and the daemon recovers by
// itself. The test runs a private cluster: restarting the shared one would fail other tests.
#include <atomic>
#include <cstdlib>
#include <fstream>
#include <set>
#include <thread>

#include <gtest/gtest.h>

#include <warroom/store/pg_connection.hpp>

#include "support/daemon_harness.hpp"
#include "support/http_json.hpp"
#include "support/raw_client.hpp"

namespace warroom::test {
namespace {

using namespace std::chrono_literals;

const std::string cluster_script = WARROOM_SOURCE_DIR "/scripts/pg-cluster.sh";

class private_cluster {
 public:
  explicit private_cluster(std::filesystem::path handle) : handle_(std::move(handle)) {
    started_ =
        std::system((cluster_script + " start " + handle_.string() + " >/dev/null").c_str()) == 0;
    std::ifstream(handle_ / "url") >> url_;
  }
  ~private_cluster() { (void)std::system((cluster_script + " stop " + handle_.string()).c_str()); }
  bool restart() {
    return std::system(
               (cluster_script + " restart " + handle_.string() + " >/dev/null 2>&1").c_str()) == 0;
  }
  bool started() const { return started_ && !url_.empty(); }
  const std::string& url() const { return url_; }

 private:
  std::filesystem::path handle_;
  bool started_ = false;
  std::string url_;
};

unsigned post_webhook(std::uint16_t port, const std::string& body, const std::string& id) {
  raw_client client(port);
  client.send(signed_webhook_request(body, id));
  return status_of(client.read_response());
}

TEST(PostgresRestart, NoAcceptedWebhookIsLostAndTheDaemonRecoversByItself) {
  temp_dir dir("pg-restart");
  private_cluster cluster(dir.path() / "pg");
  ASSERT_TRUE(cluster.started());
  const auto config = write_daemon_config(dir.path(), "unused");
  {
    std::ifstream in(config);
    std::string text((std::istreambuf_iterator<char>(in)), {});
    const auto from = text.find("  path: \"unused\"");
    text.replace(from, std::string("  path: \"unused\"").size(),
                 "  postgres_url: \"" + cluster.url() + "\"");
    std::ofstream(config) << text;
  }
  running_daemon daemon(config);
  ASSERT_TRUE(daemon.up()) << daemon.process().output();

  std::map<std::string, unsigned> answers;
  std::atomic<bool> restarted{false};
  std::thread restarter;
  int accepted_after = 0;  // 202s after the restart finished: the daemon came back by itself
  for (int i = 0; i < 300 || accepted_after < 20; ++i) {
    const bool was_restarted = restarted.load();
    if (i == 50) restarter = std::thread([&] { restarted = cluster.restart(); });
    const std::string id = "WH-" + std::to_string(i);
    const auto body = pagerduty_event_body("EV-" + std::to_string(i), "incident.triggered",
                                           "QPG" + std::to_string(i), i);
    answers[id] = post_webhook(daemon.port(), body, id);
    if (was_restarted && answers[id] == 202) ++accepted_after;
    ASSERT_LT(i, 20000) << "not back after the restart";
  }
  restarter.join();
  ASSERT_TRUE(restarted.load());

  std::set<std::string> accepted;
  int refused = 0;
  for (const auto& [id, status] : answers) {
    if (status == 202)
      accepted.insert(id);
    else if (status == 503)
      ++refused;
    else
      ADD_FAILURE() << id << " got " << status << ": only 202 or 503 are honest answers";
  }
  std::cerr << accepted.size() << " accepted, " << refused << " answered 503 during the restart\n";
  EXPECT_GT(refused, 0) << "the restart was never noticed: the test proves nothing";
  EXPECT_EQ(http_json(daemon.port(), "GET", "/readyz").status, 200u);

  auto db = store::pg_connection::open(cluster.url());
  ASSERT_TRUE(db) << db.error().message;
  auto rows = (*db)->run("SELECT delivery_id FROM deliveries");
  ASSERT_TRUE(rows) << rows.error().message;
  std::set<std::string> stored;
  for (int r = 0; r < rows->size(); ++r)
    stored.insert(rows->text_at(r, 0));
  for (const auto& id : accepted)
    EXPECT_TRUE(stored.contains(id)) << id << " was answered 202";
}

}  // namespace
}  // namespace warroom::test
