#include <chrono>

#include <gtest/gtest.h>

#include <warroom/store/checkpointer.hpp>
#include <warroom/store/jobs.hpp>

#include "store_fixture.hpp"

namespace warroom::store {
namespace {

class CheckpointerTest : public testing::database_test {
 protected:
  void SetUp() override {
    auto opened =
        sqlite_database::open(database_options{dir_.file("warroom.db"), 5000, false, true});
    ASSERT_TRUE(opened) << opened.error().message;
    db_ = std::move(*opened);
  }

  void write_jobs(int n) {
    for (int i = 0; i < n; ++i)
      ASSERT_TRUE(enqueue_job(*db_, "event", "P1", std::string(3000, 'x'), i));
  }
};

TEST_F(CheckpointerTest, ExternalModeLeavesTheWalToTheOwner) {
  write_jobs(1200);  // well past SQLite's automatic 1000-page checkpoint
  EXPECT_GT(db_->wal_frames(), 1000);
  ASSERT_TRUE(db_->checkpoint());
  write_jobs(1);  // the first commit after a complete checkpoint restarts the WAL
  EXPECT_LT(db_->wal_frames(), 10);
}

TEST_F(CheckpointerTest, CopiesTheWalOnItsOwnThread) {
  auto started = checkpointer::start(dir_.file("warroom.db"));
  ASSERT_TRUE(started) << started.error().message;
  auto& copier = **started;
  write_jobs(300);
  const auto frames = db_->wal_frames();
  EXPECT_GT(frames, 300);
  copier.request();
  ASSERT_TRUE(copier.wait_completed(1, std::chrono::seconds(20)));
  ASSERT_EQ(copier.completed(), 1u);
  write_jobs(1);
  EXPECT_LT(db_->wal_frames(), 10) << "the WAL restarts only after a complete checkpoint";
  EXPECT_EQ(count("SELECT COUNT(*) FROM jobs"), 301);
}

}  // namespace
}  // namespace warroom::store
