#include <gtest/gtest.h>

#include <warroom/store/jobs.hpp>
#include <warroom/store/schema.hpp>

#include "store_fixture.hpp"

namespace warroom::store {
namespace {

using SchemaTest = testing::database_test;

TEST_F(SchemaTest, MigratesAnEmptyFile) {
  EXPECT_EQ(count("PRAGMA user_version"), schema_version());
  EXPECT_EQ(count("SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name IN "
                  "('deliveries', 'incidents', 'jobs', 'steps', 'audit')"),
            5);
}

TEST_F(SchemaTest, UsesWalAndFullSync) {
  auto mode = db_->conn().prepare("PRAGMA journal_mode");
  ASSERT_TRUE(*mode.step());
  EXPECT_EQ(mode.text_at(0), "wal");
  EXPECT_EQ(count("PRAGMA synchronous"), 2);  // FULL
  EXPECT_EQ(count("PRAGMA page_size"), 8192);
}

TEST_F(SchemaTest, ReopenKeepsDataAndVersion) {
  auto id = enqueue_job(*db_, "open", "P1", "{}", 5);
  ASSERT_TRUE(id);
  reopen();
  EXPECT_EQ(count("PRAGMA user_version"), schema_version());
  auto kept = get_job(*db_, *id);
  ASSERT_TRUE(kept && kept->has_value());
  EXPECT_EQ((*kept)->kind, "open");
}

TEST_F(SchemaTest, MigrateTwiceChangesNothing) {
  ASSERT_TRUE(migrate(db_->conn()));
  EXPECT_EQ(count("PRAGMA user_version"), schema_version());
}

// A file left at version 1 (the later migrations' indexes missing) gets all of them at once.
TEST_F(SchemaTest, MigratesAnOlderFileToTheCurrentVersion) {
  ASSERT_TRUE(db_->conn().exec("DROP INDEX jobs_queued_by_id; DROP INDEX incidents_by_channel; "
                               "PRAGMA user_version = 1"));
  ASSERT_TRUE(migrate(db_->conn()));
  EXPECT_EQ(count("PRAGMA user_version"), schema_version());
  EXPECT_EQ(count("SELECT COUNT(*) FROM sqlite_master WHERE type = 'index' AND name IN "
                  "('jobs_queued_by_id', 'incidents_by_channel')"),
            2);
}

TEST_F(SchemaTest, RefusesAFileFromANewerVersion) {
  ASSERT_TRUE(db_->conn().exec("PRAGMA user_version = 999"));
  db_.reset();
  auto opened = sqlite_database::open(database_options{dir_.file("warroom.db")});
  ASSERT_FALSE(opened);
  EXPECT_EQ(opened.error().code, "unavailable");
  EXPECT_NE(opened.error().message.find("999"), std::string::npos);
}

}  // namespace
}  // namespace warroom::store
