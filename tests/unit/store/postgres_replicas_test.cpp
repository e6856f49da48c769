// What only several replicas sharing one PostgreSQL database have: leases and their takeover,
// claims that keep one incident's jobs in order across replicas, dedupe between replicas racing
// on the same delivery, migrations started together, a lost connection, and LISTEN/NOTIFY.
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <map>
#include <mutex>
#include <set>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include <warroom/store/jobs.hpp>
#include <warroom/store/pg_listener.hpp>

#include "backend_fixture.hpp"

namespace warroom::store {
namespace {

using namespace std::chrono_literals;
using testing::make_delivery;

class PostgresReplicasTest : public testing::store_test {
 protected:
  std::int64_t enqueue(database& db, const std::string& incident, std::int64_t at_ms = 0) {
    auto id = enqueue_job(db, "event", incident, "{}", at_ms);
    EXPECT_TRUE(id) << id.error().message;
    return id ? *id : 0;
  }
};

TEST_P(PostgresReplicasTest, AClaimHoldsForItsLeaseThenAnotherReplicaTakesTheJobOver) {
  auto a = open_db("replica-a", 1000);
  auto b = open_db("replica-b", 1000);
  const auto id = enqueue(*a, "P1");
  ASSERT_EQ(claim_ready_jobs(*a, 100, 10)->size(), 1u);  // lease until 1100
  EXPECT_TRUE(claim_ready_jobs(*b, 1100, 10)->empty()) << "the lease still holds";
  auto taken = *claim_ready_jobs(*b, 1101, 10);
  ASSERT_EQ(taken.size(), 1u);
  EXPECT_EQ(taken[0].id, id);
  EXPECT_EQ(taken[0].attempts, 2);
  // The first holder learns it lost the job instead of finishing it twice.
  auto late = complete_job(*a, id, 1200);
  ASSERT_FALSE(late);
  EXPECT_EQ(late.error().code, "not_found");
  ASSERT_TRUE(complete_job(*b, id, 1200));
  EXPECT_EQ((*get_job(*a, id))->state, job_state::done);
}

TEST_P(PostgresReplicasTest, RenewedLeasesKeepTheJobAndALiveReplicasJobsAreNotRecovered) {
  auto a = open_db("replica-a", 1000);
  auto b = open_db("replica-b", 1000);
  enqueue(*a, "P1");
  ASSERT_EQ(claim_ready_jobs(*a, 100, 10)->size(), 1u);
  ASSERT_TRUE(a->renew_leases(900));  // until 1900
  EXPECT_TRUE(claim_ready_jobs(*b, 1500, 10)->empty());
  EXPECT_EQ(*recover_running_jobs(*b, 1500), 0) << "b recovers only its own jobs";
  EXPECT_EQ(*recover_running_jobs(*a, 1500), 1) << "a restarted: its own job is due at once";
  EXPECT_EQ(claim_ready_jobs(*b, 1500, 10)->size(), 1u);
}

TEST_P(PostgresReplicasTest, AnIncidentsNextJobWaitsForTheLeaseOfItsRunningOne) {
  auto a = open_db("replica-a", 1000);
  auto b = open_db("replica-b", 1000);
  const auto first = enqueue(*a, "P1");
  const auto second = enqueue(*a, "P1");
  ASSERT_EQ(claim_ready_jobs(*a, 100, 10)->size(), 1u);
  EXPECT_TRUE(claim_ready_jobs(*b, 500, 10)->empty()) << "P1's first job runs on a";
  // a dies: b takes the first job over, never the second one before it.
  auto taken = *claim_ready_jobs(*b, 1200, 10);
  ASSERT_EQ(taken.size(), 1u);
  EXPECT_EQ(taken[0].id, first);
  ASSERT_TRUE(complete_job(*b, first, 1300));
  taken = *claim_ready_jobs(*b, 1300, 10);
  ASSERT_EQ(taken.size(), 1u);
  EXPECT_EQ(taken[0].id, second);
}

TEST_P(PostgresReplicasTest, RacingReplicasRunEveryJobOnceAndEachIncidentInOrder) {
  constexpr int incidents = 8;
  constexpr int per_incident = 25;
  {
    std::vector<delivery> batch;
    for (int n = 0; n < per_incident; ++n)
      for (int i = 0; i < incidents; ++i) {
        batch.push_back(make_delivery("d" + std::to_string(n) + "-" + std::to_string(i), "",
                                      "P" + std::to_string(i)));
        batch.back().payload = std::to_string(n);
      }
    ASSERT_TRUE(db_->ingest_batch(batch));
  }
  std::mutex mutex;
  std::map<std::string, std::vector<int>> order;
  std::set<std::string> running;
  std::atomic<int> overlaps{0};
  std::atomic<int> done{0};
  auto replica = [&](std::string name) {
    auto db = open_db(name, 60000);
    ASSERT_NE(db, nullptr);
    const auto deadline = std::chrono::steady_clock::now() + 60s;
    while (done.load() < incidents * per_incident && std::chrono::steady_clock::now() < deadline) {
      auto jobs = claim_ready_jobs(*db, 1000, 3);
      ASSERT_TRUE(jobs) << jobs.error().message;
      for (const auto& j : *jobs) {
        std::lock_guard lock(mutex);
        if (!running.insert(j.incident_id).second) ++overlaps;
        order[j.incident_id].push_back(std::stoi(j.payload));
      }
      for (const auto& j : *jobs) {
        {
          std::lock_guard lock(mutex);
          running.erase(j.incident_id);
        }
        ASSERT_TRUE(complete_job(*db, j.id, 1000));
        ++done;
      }
    }
  };
  std::thread one(replica, "replica-a");
  std::thread two(replica, "replica-b");
  std::thread three(replica, "replica-c");
  one.join();
  two.join();
  three.join();
  EXPECT_EQ(done.load(), incidents * per_incident);
  EXPECT_EQ(overlaps.load(), 0);
  ASSERT_EQ(order.size(), static_cast<std::size_t>(incidents));
  for (const auto& [incident, payloads] : order) {
    ASSERT_EQ(payloads.size(), static_cast<std::size_t>(per_incident)) << incident;
    for (int n = 0; n < per_incident; ++n)
      EXPECT_EQ(payloads[static_cast<std::size_t>(n)], n);
  }
}

TEST_P(PostgresReplicasTest, TheSameDeliveryAtTwoReplicasAtOnceIsAcceptedOnce) {
  constexpr int deliveries = 200;
  std::atomic<int> stored_once{0};
  auto replica = [&](std::string name) {
    auto db = open_db(name);
    ASSERT_NE(db, nullptr);
    for (int i = 0; i < deliveries; i += 20) {
      std::vector<delivery> batch;
      for (int k = i; k < i + 20; ++k)
        batch.push_back(make_delivery("d" + std::to_string(k), "e" + std::to_string(k)));
      auto stored = db->ingest_batch(batch);
      ASSERT_TRUE(stored) << stored.error().message;
      for (const auto& r : *stored)
        stored_once += r.status == ingest_status::accepted ? 1 : 0;
    }
  };
  std::thread one(replica, "replica-a");
  std::thread two(replica, "replica-b");
  one.join();
  two.join();
  EXPECT_EQ(stored_once.load(), deliveries);
  EXPECT_EQ(count_jobs(*db_)->queued, deliveries);
}

TEST_P(PostgresReplicasTest, ReplicasStartingTogetherMigrateOnce) {
  testing::postgres_schema fresh;
  std::atomic<int> opened{0};
  std::vector<std::thread> replicas;
  for (int i = 0; i < 4; ++i)
    replicas.emplace_back([&, i] {
      auto db = postgres_database::open(
          postgres_options{fresh.url(), "replica-" + std::to_string(i), 10000});
      EXPECT_TRUE(db) << db.error().message;
      if (db) ++opened;
    });
  for (auto& t : replicas)
    t.join();
  EXPECT_EQ(opened.load(), 4);
  auto conn = pg_connection::open(fresh.url());
  ASSERT_TRUE(conn);
  auto versions = (*conn)->run("SELECT COUNT(*) FROM warroom_schema");
  ASSERT_TRUE(versions) << versions.error().message;
  EXPECT_EQ(versions->int_at(0, 0), postgres_schema_version());
}

TEST_P(PostgresReplicasTest, ALostConnectionFailsOneCallThenComesBack) {
  auto* pg = dynamic_cast<postgres_database*>(db_.get());
  ASSERT_NE(pg, nullptr);
  auto admin = pg_connection::open(testing::test_postgres_url());
  ASSERT_TRUE(admin);
  auto killed = (*admin)->run("SELECT pg_terminate_backend($1::int)",
                              {static_cast<std::int64_t>(pg->conn().backend_pid())});
  ASSERT_TRUE(killed) << killed.error().message;
  auto failed = save_step(*db_, "P1", "s", "1", 1);
  ASSERT_FALSE(failed);
  EXPECT_EQ(failed.error().code, "unavailable");
  EXPECT_FALSE(db_->health().healthy);
  EXPECT_EQ(failed.error().message.find("search_path"), std::string::npos) << "no URL in errors";
  // The reconnect waits out a short backoff; no sleep, a deadline.
  const auto deadline = std::chrono::steady_clock::now() + 10s;
  result<void> saved = failed;
  while (!saved && std::chrono::steady_clock::now() < deadline)
    saved = save_step(*db_, "P1", "s", "1", 1);
  ASSERT_TRUE(saved) << saved.error().message;
  EXPECT_TRUE(db_->health().healthy);
  EXPECT_EQ(load_steps(*db_, "P1")->at("s"), "1");
}

TEST_P(PostgresReplicasTest, AnotherReplicasNewJobWakesTheListener) {
  std::mutex mutex;
  std::condition_variable woken;
  int wakes = 0;
  pg_listener listener(schema_->url(), [&] {
    std::lock_guard lock(mutex);
    ++wakes;
    woken.notify_all();
  });
  {
    // The first wake says "listening now" (jobs queued meanwhile are claimable).
    std::unique_lock lock(mutex);
    ASSERT_TRUE(woken.wait_for(lock, 10s, [&] { return wakes >= 1; }));
  }
  auto other = open_db("replica-b");
  enqueue(*other, "P1");
  std::unique_lock lock(mutex);
  EXPECT_TRUE(woken.wait_for(lock, 10s, [&] { return wakes >= 2; }));
  EXPECT_GE(listener.received(), 1u);
}

WARROOM_STORE_CONFORMANCE(PostgresReplicasTest);

}  // namespace
}  // namespace warroom::store
