#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <warroom/store/jobs.hpp>
#include <warroom/store/schema.hpp>
#include <warroom/store/sqlite_database.hpp>

#include "store_fixture.hpp"

namespace warroom::store {
namespace {

using testing::make_delivery;

class DatabaseTest : public testing::database_test {
 protected:
  std::vector<ingest_result> ingest(std::vector<delivery> batch) {
    auto results = db_->ingest_batch(batch);
    EXPECT_TRUE(results) << results.error().message;
    return results ? *results : std::vector<ingest_result>{};
  }

  // Caps the file at its current size, the way a full disk would.
  void fill_disk() {
    auto pages = db_->conn().query_int("PRAGMA page_count");
    ASSERT_TRUE(pages);
    const std::string pragma = "PRAGMA max_page_count = " + std::to_string(*pages);
    ASSERT_TRUE(db_->conn().exec(pragma.c_str()));
  }
};

constexpr auto accepted = ingest_status::accepted;
constexpr auto duplicate = ingest_status::duplicate;

TEST_F(DatabaseTest, FullDiskStoresNothingOfTheBatchThenRecovers) {
  ASSERT_EQ(ingest({make_delivery("before")})[0].status, accepted);
  fill_disk();
  std::vector<delivery> batch;
  for (int i = 0; i < 4; ++i) {
    batch.push_back(make_delivery("big" + std::to_string(i)));
    batch.back().payload.assign(200 * 1024, 'x');
  }
  auto failed = db_->ingest_batch(batch);
  ASSERT_FALSE(failed);
  EXPECT_EQ(failed.error().code, "unavailable");
  EXPECT_FALSE(db_->health().healthy);
  EXPECT_FALSE(db_->health().last_error.empty());
  EXPECT_EQ(count("SELECT COUNT(*) FROM deliveries"), 1);
  EXPECT_EQ(count("SELECT COUNT(*) FROM jobs"), 1);

  ASSERT_TRUE(db_->conn().exec("PRAGMA max_page_count = 1073741823"));
  auto retried = ingest(batch);
  ASSERT_EQ(retried.size(), 4u);
  EXPECT_EQ(retried[3].status, accepted);
  EXPECT_TRUE(db_->health().healthy);
  EXPECT_EQ(count("SELECT COUNT(*) FROM deliveries"), 5);
}

TEST_F(DatabaseTest, ReadOnlyReopenRefusesWrites) {
  ASSERT_EQ(ingest({make_delivery("d1")})[0].status, accepted);
  reopen(/*read_only=*/true);
  auto refused = db_->ingest_batch(std::vector{make_delivery("d2")});
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, "unavailable");
  EXPECT_FALSE(db_->health().healthy);
  EXPECT_EQ(count("SELECT COUNT(*) FROM deliveries"), 1);
}

// Each delivery row names its job from its insert on (the id is given up front, not patched after);
// ids freed by pruning are never handed out again, and the id given to what turns out to duplicate
// a stored delivery is left unused.
TEST_F(DatabaseTest, EveryDeliveryNamesItsOwnJob) {
  ingest({make_delivery("d1"), make_delivery("d2"), make_delivery("d3")});
  ASSERT_TRUE(db_->conn().exec("DELETE FROM jobs WHERE id >= 2"));  // ids 2 and 3 were handed out
  auto no_job = make_delivery("d5");
  no_job.job_kind.clear();
  const auto changes_before = sqlite3_total_changes64(db_->conn().handle());
  const auto results =
      ingest({make_delivery("d4"), no_job, make_delivery("d4"), make_delivery("d1"),
              make_delivery("d6", "", "P2"), make_delivery("d7")});
  // Four deliveries and three jobs written, and no UPDATE.
  EXPECT_EQ(sqlite3_total_changes64(db_->conn().handle()) - changes_before, 7);
  ASSERT_EQ(results.size(), 6u);
  EXPECT_EQ(results[0].job_id, 4);
  EXPECT_EQ(results[2], (ingest_result{duplicate, 0}));  // found within the batch: no id
  EXPECT_EQ(results[3], (ingest_result{duplicate, 0}));  // stored: 5 went unused
  EXPECT_EQ(results[4].job_id, 6);
  EXPECT_EQ(results[5].job_id, 7);
  EXPECT_EQ(count("SELECT COUNT(*) FROM deliveries d JOIN jobs j ON j.id = d.job_id "
                  "WHERE d.delivery_id IN ('d4', 'd6', 'd7')"),
            3);
  EXPECT_EQ(count("SELECT COUNT(*) FROM deliveries WHERE delivery_id = 'd5' AND job_id IS NULL"),
            1);
  EXPECT_EQ(count("SELECT job_id FROM deliveries WHERE delivery_id = 'd6'"), 6);
}

TEST_F(DatabaseTest, FindsAChannelsIncidentThroughAnIndex) {
  auto plan = db_->conn().prepare(
      "EXPLAIN QUERY PLAN SELECT id FROM incidents WHERE channel_id = ?1 "
      "ORDER BY updated_at DESC LIMIT 1");
  plan.bind(1, std::string_view("ch1"));
  const std::string details = column_lines(plan, 3);
  EXPECT_NE(details.find("USING INDEX incidents_by_channel"), std::string::npos) << details;
  EXPECT_EQ(details.find("TEMP B-TREE"), std::string::npos) << details;  // no sort either
}

// The gauge of open war rooms runs every few seconds on the store thread: through the partial index
// of open ones, never a scan of every war room ever opened. (The query is count_open_incidents'.)
TEST_F(DatabaseTest, CountsOpenIncidentsThroughAPartialIndex) {
  auto plan = db_->conn().prepare(
      "EXPLAIN QUERY PLAN SELECT status, COUNT(*) FROM incidents "
      "WHERE status = 'triggered' OR status = 'acknowledged' GROUP BY status");
  const std::string details = column_lines(plan, 3);
  EXPECT_NE(details.find("USING COVERING INDEX incidents_open_by_status"), std::string::npos)
      << details;
}

// A new file is built aside and moved into place whole: what opens is migrated, in WAL mode and
// durable (synchronous=FULL again), and nothing of the building is left.
TEST(SqliteCreation, ANewFileIsBuiltAsideAndMovedIntoPlace) {
  testing::temp_dir dir;
  const std::string path = dir.file("new.db");
  auto db = sqlite_database::open(database_options{path});
  ASSERT_TRUE(db) << db.error().message;
  EXPECT_TRUE(std::filesystem::exists(path));
  for (const char* leftover : {".creating", ".creating-wal", ".creating-shm"})
    EXPECT_FALSE(std::filesystem::exists(path + leftover)) << leftover;
  EXPECT_EQ(*(*db)->conn().query_int("PRAGMA user_version"), schema_version());
  EXPECT_EQ(*(*db)->conn().query_int("PRAGMA synchronous"), 2);  // FULL
  EXPECT_EQ(*(*db)->conn().query_int("PRAGMA page_size"), 8192);
  {
    auto mode = (*db)->conn().prepare("PRAGMA journal_mode");
    ASSERT_TRUE(*mode.step());
    EXPECT_EQ(mode.text_at(0), "wal");
  }
  auto stored = (*db)->ingest_batch(std::vector{make_delivery("d1")});
  ASSERT_TRUE(stored) << (stored ? "" : stored.error().message);
  EXPECT_EQ((*stored)[0].status, accepted);
}

// A start that died while building leaves its half-made file behind: the next start builds anew.
TEST(SqliteCreation, AHalfBuiltFileFromACrashIsReplaced) {
  testing::temp_dir dir;
  const std::string path = dir.file("new.db");
  for (const char* leftover : {".creating", ".creating-wal"}) {
    std::ofstream out(path + leftover);
    out << "not a database";
  }
  auto db = sqlite_database::open(database_options{path});
  ASSERT_TRUE(db) << db.error().message;
  EXPECT_EQ(*(*db)->conn().query_int("PRAGMA user_version"), schema_version());
  EXPECT_FALSE(std::filesystem::exists(path + ".creating"));
  EXPECT_FALSE(std::filesystem::exists(path + ".creating-wal"));
}

// Where nothing can be built the error names the configured file, not the temporary one.
TEST(SqliteCreation, AFileThatCannotBeMadeIsReportedByItsOwnName) {
  testing::temp_dir dir;
  const std::string path = dir.file("missing-dir/new.db");
  auto db = sqlite_database::open(database_options{path});
  ASSERT_FALSE(db);
  EXPECT_NE(db.error().message.find(path), std::string::npos) << db.error().message;
  EXPECT_EQ(db.error().message.find(".creating"), std::string::npos) << db.error().message;
}

// An existing file is opened where it is, never rebuilt.
TEST(SqliteCreation, AnExistingFileIsKept) {
  testing::temp_dir dir;
  const std::string path = dir.file("kept.db");
  {
    auto db = sqlite_database::open(database_options{path});
    ASSERT_TRUE(db);
    ASSERT_TRUE((*db)->ingest_batch(std::vector{make_delivery("d1")}));
  }
  auto again = sqlite_database::open(database_options{path});
  ASSERT_TRUE(again);
  EXPECT_EQ(*(*again)->conn().query_int("SELECT COUNT(*) FROM deliveries"), 1);
}

}  // namespace
}  // namespace warroom::store
