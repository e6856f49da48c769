// The store conformance fixture: one suite of tests over the `database` interface, run against
// each backend. store_tests runs it on SQLite; postgres_tests runs the same files on PostgreSQL
// (WARROOM_STORE_BACKEND picks), against the throwaway cluster ctest starts with
// scripts/pg-cluster.sh (or WARROOM_TEST_POSTGRES_URL). Each PostgreSQL test gets a schema of its
// own, so tests may run in parallel against one cluster.
#pragma once

#include <memory>
#include <string>

#include <gtest/gtest.h>

#include <warroom/store/database.hpp>
#include <warroom/store/postgres_database.hpp>
#include <warroom/store/sqlite_database.hpp>

#include "store_fixture.hpp"
#include "support/postgres_cluster.hpp"

namespace warroom::store::testing {

enum class backend { sqlite, postgres };

inline void PrintTo(backend b, std::ostream* os) {
  *os << (b == backend::sqlite ? "sqlite" : "postgres");
}

inline std::string backend_name(const ::testing::TestParamInfo<backend>& info) {
  return info.param == backend::sqlite ? "Sqlite" : "Postgres";
}

using ::warroom::test::postgres_schema;
using ::warroom::test::test_postgres_url;

class store_test : public ::testing::TestWithParam<backend> {
 protected:
  void SetUp() override {
    if (GetParam() == backend::postgres) schema_ = std::make_unique<postgres_schema>();
    reopen();
  }
  void TearDown() override {
    db_.reset();
    schema_.reset();
  }

  /// Another process's view of the same store (PostgreSQL: another replica).
  std::unique_ptr<database> open_db(const std::string& replica_id = "replica-a",
                                    std::int64_t lease_ms = 10000) {
    if (GetParam() == backend::sqlite) {
      auto opened = sqlite_database::open(database_options{dir_.file("warroom.db")});
      EXPECT_TRUE(opened) << opened.error().message;
      return opened ? std::move(*opened) : nullptr;
    }
    auto opened = postgres_database::open(postgres_options{schema_->url(), replica_id, lease_ms});
    EXPECT_TRUE(opened) << opened.error().message;
    return opened ? std::move(*opened) : nullptr;
  }

  void reopen() {
    db_.reset();
    db_ = open_db();
    ASSERT_NE(db_, nullptr);
  }

  temp_dir dir_;
  std::unique_ptr<postgres_schema> schema_;
  std::unique_ptr<database> db_;
};

}  // namespace warroom::store::testing

/// Runs a conformance suite on the backend this executable is for.
#define WARROOM_STORE_CONFORMANCE(suite)                                            \
  INSTANTIATE_TEST_SUITE_P(                                                         \
      Backend, suite,                                                               \
      ::testing::Values(::warroom::store::testing::backend::WARROOM_STORE_BACKEND), \
      ::warroom::store::testing::backend_name)
