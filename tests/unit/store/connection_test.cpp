#include <gtest/gtest.h>
#include <sqlite3.h>

#include <warroom/store/connection.hpp>

#include "store_fixture.hpp"

namespace warroom::store {
namespace {

class ConnectionTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto opened = connection::open(dir_.file("c.db"), connection::mode::read_write_create, 1000);
    ASSERT_TRUE(opened) << opened.error().message;
    conn_ = std::move(*opened);
    ASSERT_TRUE(conn_->exec("CREATE TABLE t (n INTEGER, s TEXT)"));
  }

  int prepared_statements() const {
    int n = 0;
    for (auto* s = sqlite3_next_stmt(conn_->handle(), nullptr); s != nullptr;
         s = sqlite3_next_stmt(conn_->handle(), s)) {
      ++n;
    }
    return n;
  }

  testing::temp_dir dir_;
  std::unique_ptr<connection> conn_;
};

TEST_F(ConnectionTest, PreparesEachStatementOnce) {
  for (int i = 0; i < 5; ++i) {
    auto insert = conn_->prepare("INSERT INTO t (n, s) VALUES (?1, ?2)");
    ASSERT_TRUE(insert.bind(1, std::int64_t{i}).bind(2, std::string_view("x")).run());
  }
  EXPECT_EQ(prepared_statements(), 1);
  EXPECT_EQ(*conn_->query_int("SELECT COUNT(*) FROM t"), 5);
}

TEST_F(ConnectionTest, RoundTripsTextWithEmbeddedNul) {
  const std::string text("a\0b", 3);
  ASSERT_TRUE(conn_->prepare("INSERT INTO t (n, s) VALUES (1, ?1)").bind(1, text).run());
  auto select = conn_->prepare("SELECT s FROM t");
  ASSERT_TRUE(*select.step());
  EXPECT_EQ(select.text_at(0), text);
}

TEST_F(ConnectionTest, ReusedStatementStartsWithFreshBindings) {
  ASSERT_TRUE(conn_->prepare("INSERT INTO t (n, s) VALUES (?1, ?2)")
                  .bind(1, std::int64_t{7})
                  .bind(2, std::string_view("seven"))
                  .run());
  // The cached statement comes back reset with its bindings cleared, so ?2 is NULL now.
  ASSERT_TRUE(
      conn_->prepare("INSERT INTO t (n, s) VALUES (?1, ?2)").bind(1, std::int64_t{8}).run());
  EXPECT_EQ(*conn_->query_int("SELECT COUNT(*) FROM t WHERE s IS NULL"), 1);
}

TEST_F(ConnectionTest, ReportsFailuresAsUnavailable) {
  auto bad = conn_->prepare("SELECT nonsense FROM nowhere");
  auto row = bad.step();
  ASSERT_FALSE(row);
  EXPECT_EQ(row.error().code, "unavailable");
  EXPECT_NE(row.error().message.find("nowhere"), std::string::npos);
  EXPECT_FALSE(conn_->exec("NOT SQL"));
}

TEST_F(ConnectionTest, TracksTransactionState) {
  EXPECT_FALSE(conn_->in_transaction());
  ASSERT_TRUE(conn_->exec("BEGIN IMMEDIATE"));
  EXPECT_TRUE(conn_->in_transaction());
  ASSERT_TRUE(conn_->exec("ROLLBACK"));
  EXPECT_FALSE(conn_->in_transaction());
}

}  // namespace
}  // namespace warroom::store
