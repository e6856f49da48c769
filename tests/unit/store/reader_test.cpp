#include <atomic>
#include <chrono>
#include <future>

#include <gtest/gtest.h>

#include <warroom/store/jobs.hpp>
#include <warroom/store/reader.hpp>

#include "store_fixture.hpp"

namespace warroom::store {
namespace {

using namespace std::chrono_literals;

class ReaderTest : public testing::database_test {
 protected:
  // A second, read-only connection to the fixture's file, as async_store gives its reader.
  std::unique_ptr<database> read_only_connection() {
    database_options options{dir_.file("warroom.db"), 5000, true};
    options.cache_kib = 256;
    auto opened = sqlite_database::open(options);
    EXPECT_TRUE(opened) << opened.error().message;
    return opened ? std::move(*opened) : nullptr;
  }

  // Counts the queued jobs on the reader's thread and waits for the figure (-1: no answer).
  static std::int64_t queued_jobs(reader& scans) {
    std::promise<std::int64_t> counted;
    if (!scans.post([&](database& db) { counted.set_value(count_jobs(db)->queued); })) return -1;
    auto count = counted.get_future();
    return count.wait_for(20s) == std::future_status::ready ? count.get() : -1;
  }
};

TEST_F(ReaderTest, SeesWhatTheWriterCommittedBeforeTheTaskStarts) {
  reader scans(read_only_connection());
  ASSERT_TRUE(enqueue_job(*db_, "event", "P1", "{}", 0));
  EXPECT_EQ(queued_jobs(scans), 1);
  ASSERT_TRUE(enqueue_job(*db_, "event", "P2", "{}", 0));
  EXPECT_EQ(queued_jobs(scans), 2);
}

TEST_F(ReaderTest, StopRunsTheQueuedTasksThenRefuses) {
  reader scans(read_only_connection());
  std::atomic<int> ran = 0;
  for (int i = 0; i < 50; ++i)
    ASSERT_TRUE(scans.post([&](database& db) { ran += count_jobs(db) ? 1 : 0; }));
  scans.stop();
  EXPECT_EQ(ran.load(), 50);
  EXPECT_FALSE(scans.post([&](database&) { ++ran; }));
  scans.stop();  // idempotent
  EXPECT_EQ(ran.load(), 50);
}

TEST_F(ReaderTest, ItsConnectionKeepsASmallPageCache) {
  auto scans = read_only_connection();
  ASSERT_TRUE(scans);
  auto& conn = static_cast<sqlite_database&>(*scans).conn();
  EXPECT_EQ(*conn.query_int("PRAGMA cache_size"), -256);
  EXPECT_EQ(*db_->conn().query_int("PRAGMA cache_size"), -2000);  // the writer's: SQLite's default
}

}  // namespace
}  // namespace warroom::store
