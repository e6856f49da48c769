#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <future>
#include <mutex>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include <warroom/store/async_store.hpp>
#include <warroom/store/incidents.hpp>
#include <warroom/store/jobs.hpp>

#include "store_fixture.hpp"

namespace warroom::store {
namespace {

using testing::make_delivery;
using namespace std::chrono_literals;

// Collects callback results from the store thread; the test waits on them with a deadline.
template <class R>
class collected {
 public:
  std::function<void(R)> callback() {
    return [this](R r) {
      std::lock_guard lock(mutex_);
      results_.push_back(std::move(r));
      changed_.notify_all();
    };
  }
  std::vector<R> wait_for(std::size_t n) {
    std::unique_lock lock(mutex_);
    EXPECT_TRUE(changed_.wait_for(lock, 20s, [&] { return results_.size() >= n; }))
        << "only " << results_.size() << " of " << n << " callbacks";
    return results_;
  }

 protected:
  std::mutex mutex_;
  std::condition_variable changed_;
  std::vector<R> results_;
};

class outcomes : public collected<result<ingest_result>> {
 public:
  std::size_t count(ingest_status status) {
    std::lock_guard lock(mutex_);
    std::size_t n = 0;
    for (const auto& r : results_)
      n += r && r->status == status ? 1 : 0;
    return n;
  }
};

using write_outcomes = collected<result<void>>;

store_options sized(std::size_t max_batch, std::size_t max_pending,
                    std::int64_t checkpoint_frames = 1000) {
  store_options options;
  options.max_batch = max_batch;
  options.max_pending = max_pending;
  options.checkpoint_frames = checkpoint_frames;
  return options;
}

async_store::write_work step_write(std::string owner, std::string step) {
  return [owner, step](database& db) { return save_step(db, owner, step, "1", 0); };
}

// Holds the store thread inside a task until released, so ingests pile up into one batch.
class gate {
 public:
  async_store::task hold() {
    return [this](database&) {
      std::unique_lock lock(mutex_);
      held_ = true;
      changed_.notify_all();
      changed_.wait(lock, [&] { return open_; });
    };
  }
  void wait_held() {
    std::unique_lock lock(mutex_);
    ASSERT_TRUE(changed_.wait_for(lock, 20s, [&] { return held_; }));
  }
  void release() {
    std::lock_guard lock(mutex_);
    open_ = true;
    changed_.notify_all();
  }

 private:
  std::mutex mutex_;
  std::condition_variable changed_;
  bool held_ = false;
  bool open_ = false;
};

class SqliteStoreTest : public ::testing::Test {
 protected:
  void SetUp() override { open({}); }

  void open(store_options options) {
    store_.reset();
    options.db.path = dir_.file("warroom.db");
    auto opened = async_store::open(options, 0);
    ASSERT_TRUE(opened) << opened.error().message;
    store_ = std::move(*opened);
  }

  // Runs `work` on the store thread and waits for it.
  template <class F>
  auto on_store(F work) {
    std::invoke_result_t<F, database&> out{};
    std::promise<void> finished;
    EXPECT_TRUE(store_->post([&](database& db) {
      out = work(db);
      finished.set_value();
    }));
    EXPECT_EQ(finished.get_future().wait_for(20s), std::future_status::ready);
    return out;
  }

  std::int64_t count(const char* sql) {
    return on_store([sql](database& any) {
      auto& db = static_cast<sqlite_database&>(any);
      return *db.conn().query_int(sql);
    });
  }

  /// Caps the file at its current size, the way a full disk would (`false`: lifts the cap).
  bool fill_disk(bool full = true) {
    return on_store([full](database& any) {
      auto& db = static_cast<sqlite_database&>(any);
      const auto pages = full ? *db.conn().query_int("PRAGMA page_count") : 1073741823;
      return db.conn()
          .exec(("PRAGMA max_page_count = " + std::to_string(pages)).c_str())
          .has_value();
    });
  }

  // Queues deliveries d0..d{n-1}.
  void ingest_many(int n, outcomes& got) {
    for (int i = 0; i < n; ++i)
      store_->ingest(make_delivery("d" + std::to_string(i)), got.callback());
  }

  void hold_thread(gate& g) {
    ASSERT_TRUE(store_->post(g.hold()));
    g.wait_held();
  }

  testing::temp_dir dir_;
  std::unique_ptr<async_store> store_;
};

TEST_F(SqliteStoreTest, AcceptsThenReportsDuplicate) {
  outcomes got;
  store_->ingest(make_delivery("d1", "e1"), got.callback());
  ASSERT_EQ(got.wait_for(1).size(), 1u);
  store_->ingest(make_delivery("d2", "e1"), got.callback());
  auto results = got.wait_for(2);
  ASSERT_TRUE(results[0] && results[1]);
  EXPECT_EQ(results[0]->status, ingest_status::accepted);
  EXPECT_GT(results[0]->job_id, 0);
  EXPECT_EQ(results[1]->status, ingest_status::duplicate);
}

TEST_F(SqliteStoreTest, ConcurrentDuplicatesAcceptExactlyOne) {
  outcomes got;
  std::vector<std::thread> senders;
  for (int t = 0; t < 8; ++t) {
    senders.emplace_back([&, t] {
      for (int i = 0; i < 125; ++i) {
        // Half repeat the delivery id, half only the event id: both must deduplicate.
        auto d = make_delivery(i % 2 == 0 ? "same" : "d" + std::to_string(t * 1000 + i), "e1");
        store_->ingest(std::move(d), got.callback());
      }
    });
  }
  for (auto& s : senders)
    s.join();
  ASSERT_EQ(got.wait_for(1000).size(), 1000u);
  EXPECT_EQ(got.count(ingest_status::accepted), 1u);
  EXPECT_EQ(got.count(ingest_status::duplicate), 999u);
  EXPECT_EQ(count("SELECT COUNT(*) FROM jobs"), 1);
  EXPECT_EQ(count("SELECT COUNT(*) FROM deliveries"), 1);
}

TEST_F(SqliteStoreTest, CallbackRunsOnlyAfterCommit) {
  std::promise<std::int64_t> seen;
  store_->ingest(make_delivery("d1"), [&](result<ingest_result> r) {
    EXPECT_TRUE(r);
    // A second connection sees only committed rows.
    auto other = sqlite_database::open(database_options{dir_.file("warroom.db"), 1000, true});
    seen.set_value(other ? *(*other)->conn().query_int(
                               "SELECT COUNT(*) FROM deliveries WHERE delivery_id = 'd1'")
                         : -1);
  });
  auto visible = seen.get_future();
  ASSERT_EQ(visible.wait_for(20s), std::future_status::ready);
  EXPECT_EQ(visible.get(), 1);
}

TEST_F(SqliteStoreTest, ConcurrentIngestsShareOneCommit) {
  open(sized(16, 1000));
  gate g;
  hold_thread(g);
  outcomes got;
  ingest_many(40, got);
  const auto before = store_->stats();
  EXPECT_EQ(before.pending, 40u);
  g.release();
  got.wait_for(40);
  const auto after = store_->stats();
  EXPECT_EQ(after.batches - before.batches, 3u);  // 16 + 16 + 8
  EXPECT_EQ(after.ingested - before.ingested, 40u);
  EXPECT_EQ(got.count(ingest_status::accepted), 40u);
}

TEST_F(SqliteStoreTest, FullDiskFailsTheWholeBatchThenRecovers) {
  ASSERT_TRUE(fill_disk());
  gate g;
  hold_thread(g);
  outcomes got;
  for (int i = 0; i < 5; ++i) {
    auto d = make_delivery("big" + std::to_string(i));
    d.payload.assign(100 * 1024, 'x');
    store_->ingest(d, got.callback());
  }
  const auto before = store_->stats();
  g.release();
  for (const auto& r : got.wait_for(5)) {
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, "unavailable");
  }
  EXPECT_EQ(store_->stats().batches - before.batches, 1u) << "all five shared one transaction";
  EXPECT_FALSE(store_->stats().health.healthy);
  EXPECT_EQ(count("SELECT COUNT(*) FROM deliveries"), 0);
  EXPECT_EQ(count("SELECT COUNT(*) FROM jobs"), 0);

  ASSERT_TRUE(fill_disk(false));
  outcomes later;
  auto d = make_delivery("big0");
  d.payload.assign(100 * 1024, 'x');
  store_->ingest(d, later.callback());
  auto retried = later.wait_for(1);
  ASSERT_TRUE(retried[0]) << retried[0].error().message;
  EXPECT_EQ(retried[0]->status, ingest_status::accepted);
  EXPECT_TRUE(store_->stats().health.healthy);
  EXPECT_FALSE(store_->stats().health.last_error.empty());
}

TEST_F(SqliteStoreTest, StopCommitsQueuedIngestsThenRefuses) {
  gate g;
  hold_thread(g);
  outcomes got;
  ingest_many(20, got);
  g.release();
  store_->stop();
  EXPECT_EQ(got.count(ingest_status::accepted), 20u);
  outcomes refused;
  store_->ingest(make_delivery("late"), refused.callback());
  auto late = refused.wait_for(1);
  ASSERT_FALSE(late[0]);
  EXPECT_EQ(late[0].error().code, "unavailable");
  EXPECT_FALSE(store_->post([](database&) {}));
}

TEST_F(SqliteStoreTest, FullQueueRefusesAtOnce) {
  open(sized(1024, 2));
  gate g;
  hold_thread(g);
  outcomes got;
  ingest_many(3, got);
  auto refused = got.wait_for(1);  // the third, answered on this thread before the release
  ASSERT_FALSE(refused[0]);
  EXPECT_NE(refused[0].error().message.find("full"), std::string::npos);
  g.release();
  EXPECT_EQ(got.wait_for(3).size(), 3u);
  EXPECT_EQ(got.count(ingest_status::accepted), 2u);
}

TEST_F(SqliteStoreTest, PruneDeletesOldRowsInBatches) {
  outcomes got;
  for (int i = 0; i < 25; ++i) {
    auto d = make_delivery("old" + std::to_string(i), "", "", 100);
    d.job_kind.clear();
    store_->ingest(d, got.callback());
  }
  store_->ingest(make_delivery("new", "", "", 900), got.callback());
  got.wait_for(26);
  std::promise<result<std::int64_t>> pruned;
  store_->prune(500, 10, [&](result<std::int64_t> n) { pruned.set_value(std::move(n)); });
  auto total = pruned.get_future();
  ASSERT_EQ(total.wait_for(20s), std::future_status::ready);
  auto n = total.get();
  ASSERT_TRUE(n);
  EXPECT_EQ(*n, 25);
  EXPECT_EQ(count("SELECT COUNT(*) FROM deliveries"), 1);
}

TEST_F(SqliteStoreTest, WalStaysBoundedUnderSustainedIngest) {
  open(sized(32, 100000, 50));
  outcomes got;
  for (int i = 0; i < 2000; ++i) {
    auto d = make_delivery("d" + std::to_string(i), "", "P" + std::to_string(i % 50));
    d.payload.assign(2048, 'x');
    store_->ingest(std::move(d), got.callback());
  }
  got.wait_for(2000);
  EXPECT_EQ(got.count(ingest_status::accepted), 2000u);
  // Bound: 16 x 50 pages before the store thread checkpoints, plus at most one 32-delivery batch.
  EXPECT_LT(on_store([](database& db) { return db.wal_frames(); }), 16 * 50 + 32 * 6);
}

TEST_F(SqliteStoreTest, OpenRequeuesJobsLeftRunning) {
  ASSERT_TRUE(on_store([](database& db) {
    return enqueue_job(db, "open", "P1", "{}", 0).has_value() &&
           claim_ready_jobs(db, 0, 10)->size() == 1;
  }));
  open({});
  auto counts = on_store([](database& db) { return *count_jobs(db); });
  EXPECT_EQ(counts.queued, 1);
  EXPECT_EQ(counts.running, 0);
}

TEST_F(SqliteStoreTest, ConcurrentStepWritesShareTransactions) {
  gate g;
  hold_thread(g);
  write_outcomes got;
  constexpr int n = 30;
  for (int i = 0; i < n; ++i)
    store_->write(step_write("P" + std::to_string(i % 3), "step" + std::to_string(i)),
                  got.callback());
  const auto before = store_->stats();
  g.release();
  for (const auto& r : got.wait_for(n))
    EXPECT_TRUE(r) << r.error().message;
  const auto after = store_->stats();
  EXPECT_LT(after.write_batches - before.write_batches, static_cast<std::uint64_t>(n));
  EXPECT_EQ(after.write_batches - before.write_batches, 1u) << "all queued behind one task";
  EXPECT_EQ(after.writes - before.writes, static_cast<std::uint64_t>(n));
  EXPECT_EQ(count("SELECT COUNT(*) FROM steps"), n);
}

TEST_F(SqliteStoreTest, WriteCallbackRunsOnlyAfterCommit) {
  std::promise<std::int64_t> seen;
  store_->write(step_write("P1", "open.card.started"), [&](result<void> r) {
    EXPECT_TRUE(r);
    auto other = sqlite_database::open(database_options{dir_.file("warroom.db"), 1000, true});
    seen.set_value(other ? *(*other)->conn().query_int("SELECT COUNT(*) FROM steps") : -1);
  });
  auto visible = seen.get_future();
  ASSERT_EQ(visible.wait_for(20s), std::future_status::ready);
  EXPECT_EQ(visible.get(), 1);
}

TEST_F(SqliteStoreTest, AFailingWriteIsUndoneAloneInItsGroup) {
  gate g;
  hold_thread(g);
  write_outcomes got;
  store_->write(step_write("P1", "a"), got.callback());
  store_->write(
      [](database& db) -> result<void> {
        if (auto saved = save_step(db, "P1", "half", "1", 0); !saved) return saved;
        return make_error("bad_request", "refused after writing");
      },
      got.callback());
  store_->write(step_write("P1", "b"), got.callback());
  g.release();
  const auto results = got.wait_for(3);
  EXPECT_TRUE(results[0]);
  ASSERT_FALSE(results[1]);
  EXPECT_EQ(results[1].error().code, "bad_request");
  EXPECT_TRUE(results[2]);
  EXPECT_EQ(count("SELECT COUNT(*) FROM steps WHERE step IN ('a', 'b')"), 2);
  EXPECT_EQ(count("SELECT COUNT(*) FROM steps WHERE step = 'half'"), 0);
}

TEST_F(SqliteStoreTest, AFailedGroupCommitFailsEveryWriteAndStoresNothing) {
  ASSERT_TRUE(fill_disk());
  gate g;
  hold_thread(g);
  write_outcomes got;
  store_->write(step_write("P1", "small"), got.callback());
  for (int i = 0; i < 4; ++i) {
    audit_entry e{0, "P1", "warroom", "note", "test", std::string(100 * 1024, 'x')};
    store_->write([e](database& db) { return append_audit(db, e); }, got.callback());
  }
  g.release();
  for (const auto& r : got.wait_for(5)) {
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, "unavailable");
  }
  EXPECT_EQ(count("SELECT COUNT(*) FROM steps"), 0);
  EXPECT_EQ(count("SELECT COUNT(*) FROM audit"), 0);
  EXPECT_FALSE(store_->stats().health.healthy);
}

TEST_F(SqliteStoreTest, WritesAfterStopAreRefused) {
  store_->stop();
  write_outcomes got;
  store_->write(step_write("P1", "late"), got.callback());
  const auto results = got.wait_for(1);
  ASSERT_FALSE(results[0]);
  EXPECT_EQ(results[0].error().code, "unavailable");
}

// Each checkpoint that copies anything syncs the WAL and the database file. Woken after every
// commit past the bound, the checkpointer ran about once per commit; now once per bound's worth of
// new frames.
TEST_F(SqliteStoreTest, TheCheckpointerWakesOncePerBoundOfNewFrames) {
  store_options options;
  options.checkpoint_frames = 50;
  open(options);
  constexpr int commits = 400;
  for (int i = 0; i < commits; ++i) {
    outcomes got;
    store_->ingest(make_delivery("d" + std::to_string(i)), got.callback());
    ASSERT_TRUE(got.wait_for(1)[0]);
  }
  const auto stats = store_->stats();
  EXPECT_EQ(stats.batches, static_cast<std::uint64_t>(commits));
  EXPECT_GT(stats.checkpoint_requests, 0U);
  // A commit adds a few frames; once per commit past the bound would be several hundred.
  EXPECT_LT(stats.checkpoint_requests, static_cast<std::uint64_t>(commits / 4));
}

TEST_F(SqliteStoreTest, TellsHowLongEachTransactionTook) {
  std::mutex mutex;
  std::vector<std::pair<transaction_kind, double>> told;
  store_options options;
  options.on_commit = [&](transaction_kind kind, double seconds) {
    std::lock_guard lock(mutex);
    told.emplace_back(kind, seconds);
  };
  open(options);
  outcomes ingested;
  store_->ingest(make_delivery("d1"), ingested.callback());
  ASSERT_TRUE(ingested.wait_for(1)[0]);
  write_outcomes written;
  store_->write(step_write("P1", "open"), written.callback());
  ASSERT_TRUE(written.wait_for(1)[0]);
  std::lock_guard lock(mutex);
  ASSERT_EQ(told.size(), 2U);
  EXPECT_EQ(told[0].first, transaction_kind::ingest);
  EXPECT_EQ(told[1].first, transaction_kind::write);
  for (const auto& [kind, seconds] : told) {
    EXPECT_GT(seconds, 0.0);
    EXPECT_LT(seconds, 20.0);
  }
}

// The gauges' counts scan every job: run on the store thread, each held back every commit behind
// it. Reads go to their own connection and thread.
TEST_F(SqliteStoreTest, ReadsRunWhileTheStoreThreadIsBusy) {
  outcomes got;
  ingest_many(3, got);
  got.wait_for(3);
  gate g;
  hold_thread(g);
  std::promise<std::int64_t> counted;
  const bool queued =
      store_->read([&](database& db) { counted.set_value(count_jobs(db)->queued); });
  auto count = counted.get_future();
  const bool ready = queued && count.wait_for(20s) == std::future_status::ready;
  g.release();
  on_store([](database&) { return 0; });  // the store thread has left the gate before it goes
  ASSERT_TRUE(ready) << "the read waited for the store thread";
  EXPECT_EQ(count.get(), 3);
}

TEST(InMemoryStoreTest, ReadsRunOnTheStoreThread) {
  store_options options;
  options.db.path = ":memory:";
  auto opened = async_store::open(options, 0);
  ASSERT_TRUE(opened) << opened.error().message;
  auto& store = **opened;
  outcomes got;
  store.ingest(make_delivery("d1"), got.callback());
  ASSERT_TRUE(got.wait_for(1)[0]);
  std::promise<std::int64_t> counted;
  ASSERT_TRUE(store.read([&](database& db) { counted.set_value(count_jobs(db)->queued); }));
  auto count = counted.get_future();
  ASSERT_EQ(count.wait_for(20s), std::future_status::ready);
  EXPECT_EQ(count.get(), 1);  // a second connection would have seen an empty database
}

TEST_F(SqliteStoreTest, ReadsAfterStopAreRefused) {
  store_->stop();
  EXPECT_FALSE(store_->read([](database&) {}));
}

}  // namespace
}  // namespace warroom::store
