// The WAL write buffer: whatever a buffered writer commits is in the file for another connection
// (the default VFS) at once, in every synchronous mode, through transactions larger than the
// buffer and than the page cache, WAL restarts and a reopen.
#include <string>

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <warroom/store/connection.hpp>
#include <warroom/store/wal_write_buffer.hpp>

#include "store_fixture.hpp"

namespace warroom::store {
namespace {

class WalWriteBufferTest : public ::testing::TestWithParam<const char*> {
 protected:
  void SetUp() override {
    path_ = dir_.file("w.db");
    writer_ = open(true);
    ASSERT_TRUE(writer_->exec("PRAGMA page_size = 8192; PRAGMA journal_mode = WAL;"));
    ASSERT_TRUE(writer_->exec((std::string("PRAGMA synchronous = ") + GetParam()).c_str()));
    ASSERT_TRUE(writer_->exec("PRAGMA wal_autocheckpoint = 0"));
    ASSERT_TRUE(writer_->exec("CREATE TABLE t (n INTEGER PRIMARY KEY, s TEXT NOT NULL)"));
    reader_ = open(false);
  }

  std::unique_ptr<connection> open(bool buffered) {
    auto opened = connection::open(path_, connection::mode::read_write_create, 1000, buffered);
    EXPECT_TRUE(opened) << opened.error().message;
    return opened ? std::move(*opened) : nullptr;
  }

  // Rows [first, first + count), each with a 3 KB text: several frames per row batch.
  void insert(connection& c, int first, int count) {
    ASSERT_TRUE(c.exec("BEGIN"));
    for (int n = first; n < first + count; ++n) {
      auto row = c.prepare("INSERT INTO t (n, s) VALUES (?1, ?2)");
      ASSERT_TRUE(row.bind(1, std::int64_t{n}).bind(2, std::string(3000, 'a' + n % 26)).run());
    }
    ASSERT_TRUE(c.exec("COMMIT"));
  }

  std::int64_t count(connection& c) {
    auto n = c.query_int("SELECT COUNT(*) FROM t");
    EXPECT_TRUE(n) << n.error().message;
    return n ? *n : -1;
  }

  testing::temp_dir dir_;
  std::string path_;
  std::unique_ptr<connection> writer_;
  std::unique_ptr<connection> reader_;
};

TEST_P(WalWriteBufferTest, EveryCommitIsInTheFileForAnotherConnectionAtOnce) {
  for (int round = 0; round < 20; ++round) {
    insert(*writer_, round * 7, 7);
    EXPECT_EQ(count(*reader_), (round + 1) * 7) << "round " << round;
  }
  EXPECT_EQ(*reader_->query_int("SELECT SUM(length(s)) FROM t"), 140 * 3000);
}

TEST_P(WalWriteBufferTest, TransactionsLargerThanTheBufferAndTheCache) {
  // A 64 KiB page cache spills dirty pages into the WAL mid-transaction and reads them back.
  ASSERT_TRUE(writer_->exec("PRAGMA cache_size = -64"));
  insert(*writer_, 0, 400);  // about 1.2 MB of text, ten times the buffer
  ASSERT_TRUE(writer_->exec("UPDATE t SET s = s || '!' WHERE n % 3 = 0"));
  EXPECT_EQ(count(*reader_), 400);
  EXPECT_EQ(*reader_->query_int("SELECT COUNT(*) FROM t WHERE s LIKE '%!'"), 134);
  auto check = reader_->prepare("PRAGMA integrity_check");
  ASSERT_TRUE(*check.step());
  EXPECT_EQ(check.text_at(0), "ok");
}

TEST_P(WalWriteBufferTest, TheWalRestartsAndAReopenFindsEverything) {
  insert(*writer_, 0, 50);
  ASSERT_EQ(sqlite3_wal_checkpoint_v2(writer_->handle(), nullptr, SQLITE_CHECKPOINT_RESTART,
                                      nullptr, nullptr),
            SQLITE_OK);
  insert(*writer_, 50, 50);  // written from the WAL's start again, over the old frames
  EXPECT_EQ(count(*reader_), 100);
  writer_.reset();
  reader_.reset();
  auto again = open(true);
  ASSERT_NE(again, nullptr);
  EXPECT_EQ(count(*again), 100);
  EXPECT_EQ(*again->query_int("SELECT MAX(n) FROM t"), 99);
}

// An idle daemon frees the buffer between transactions; the next write allocates it again.
TEST_P(WalWriteBufferTest, TheBufferIsFreedBetweenTransactionsAndComesBack) {
  insert(*writer_, 0, 10);
  release_wal_buffer(writer_->handle());
  release_wal_buffer(reader_->handle());  // not ours: nothing happens
  insert(*writer_, 10, 10);
  EXPECT_EQ(count(*reader_), 20);
}

INSTANTIATE_TEST_SUITE_P(Synchronous, WalWriteBufferTest,
                         ::testing::Values("FULL", "NORMAL", "OFF"),
                         [](const auto& param) { return std::string(param.param); });

}  // namespace
}  // namespace warroom::store
