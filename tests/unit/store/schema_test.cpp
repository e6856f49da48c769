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
  EXPECT_EQ(count("PRAGMA temp_store"), 2);  // MEMORY
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
  ASSERT_TRUE(
      db_->conn().exec("DROP INDEX jobs_queued_by_id; DROP INDEX incidents_by_channel; "
                       "DROP INDEX incidents_open_by_status; PRAGMA user_version = 1"));
  ASSERT_TRUE(migrate(db_->conn()));
  EXPECT_EQ(count("PRAGMA user_version"), schema_version());
  EXPECT_EQ(count("SELECT COUNT(*) FROM sqlite_master WHERE type = 'index' AND name IN "
                  "('jobs_queued_by_id', 'incidents_by_channel', 'incidents_open_by_status')"),
            3);
}

// Version 3's jobs table (the state CHECK as an IN list), with a pruned highest id.
TEST_F(SchemaTest, RebuildingJobsKeepsRowsIdsAndTheCounter) {
  ASSERT_TRUE(db_->conn().exec(R"sql(
DROP TABLE jobs;
CREATE TABLE jobs (
  id INTEGER PRIMARY KEY AUTOINCREMENT, kind TEXT NOT NULL, incident_id TEXT NOT NULL DEFAULT '',
  payload TEXT NOT NULL DEFAULT '',
  state TEXT NOT NULL CHECK (state IN ('queued', 'running', 'done', 'dead')),
  attempts INTEGER NOT NULL DEFAULT 0, next_attempt_at INTEGER NOT NULL,
  last_error TEXT NOT NULL DEFAULT '', created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL);
CREATE INDEX jobs_by_state ON jobs (state, next_attempt_at);
CREATE INDEX jobs_by_incident ON jobs (incident_id, state, id);
CREATE INDEX jobs_queued_by_id ON jobs (id) WHERE state = 'queued';
DROP INDEX incidents_open_by_status;
PRAGMA user_version = 3;)sql"));
  for (int i = 0; i < 5; ++i)
    ASSERT_TRUE(enqueue_job(*db_, "open", "P" + std::to_string(i), "{}", 5));
  ASSERT_TRUE(
      db_->conn().exec("UPDATE jobs SET state = 'done', last_error = 'x' WHERE id = 2; "
                       "DELETE FROM jobs WHERE id >= 4"));
  ASSERT_TRUE(migrate(db_->conn()));
  EXPECT_EQ(count("PRAGMA user_version"), schema_version());
  EXPECT_EQ(count("SELECT COUNT(*) FROM jobs"), 3);
  EXPECT_EQ(count("SELECT COUNT(*) FROM jobs WHERE id = 2 AND state = 'done' AND "
                  "last_error = 'x'"),
            1);
  EXPECT_EQ(count("SELECT COUNT(*) FROM sqlite_master WHERE tbl_name = 'jobs' AND type = "
                  "'index' AND name IN ('jobs_by_state', 'jobs_by_incident', 'jobs_queued_by_id')"),
            3);
  auto check = db_->conn().prepare("PRAGMA integrity_check");
  auto checked = check.step();
  ASSERT_TRUE(checked && *checked);
  EXPECT_EQ(check.text_at(0), "ok");
  // Ids 4 and 5 were handed out and pruned: never again.
  auto next = enqueue_job(*db_, "open", "P9", "{}", 5);
  ASSERT_TRUE(next);
  EXPECT_EQ(*next, 6);
  EXPECT_FALSE(db_->conn().exec("UPDATE jobs SET state = 'bogus' WHERE id = 1"));
}

// The state CHECK must not cost an ephemeral index per statement (it did as an IN list).
TEST_F(SchemaTest, JobWritesBuildNoEphemeralIndex) {
  for (const char* sql :
       {"EXPLAIN INSERT INTO jobs (kind, incident_id, payload, state, next_attempt_at, "
        "created_at, updated_at) VALUES ('open', 'P', '', 'queued', 1, 1, 1)",
        "EXPLAIN UPDATE jobs SET state = 'done' WHERE id = 1"}) {
    auto plan = db_->conn().prepare(sql);
    const std::string opcodes = column_lines(plan, 1);
    EXPECT_EQ(opcodes.find("OpenEphemeral"), std::string::npos) << sql << ": " << opcodes;
  }
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
