// Shared by the store tests: a temporary directory removed at the end, and a database opened in
// it.
#pragma once

#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>

#include <gtest/gtest.h>

#include <warroom/store/records.hpp>
#include <warroom/store/sqlite_database.hpp>

namespace warroom::store::testing {

class temp_dir {
 public:
  temp_dir() {
    std::string pattern =
        (std::filesystem::temp_directory_path() / "warroom-store-XXXXXX").string();
    if (mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
    path_ = pattern;
  }
  temp_dir(const temp_dir&) = delete;
  temp_dir& operator=(const temp_dir&) = delete;
  ~temp_dir() {
    std::error_code ignored;  // best effort: a leftover temp dir must not fail the test
    std::filesystem::remove_all(path_, ignored);
  }
  std::string file(const std::string& name) const { return (path_ / name).string(); }

 private:
  std::filesystem::path path_;
};

/// A fixture with a fresh database file per test.
class database_test : public ::testing::Test {
 protected:
  void SetUp() override { reopen(); }

  void reopen(bool read_only = false) {
    db_.reset();
    auto opened = sqlite_database::open(database_options{dir_.file("warroom.db"), 5000, read_only});
    ASSERT_TRUE(opened) << opened.error().message;
    db_ = std::move(*opened);
  }

  /// Column `column` of every row of a prepared statement, one line each ("" after a failure).
  static std::string column_lines(statement& query, int column) {
    std::string lines;
    while (true) {
      auto row = query.step();
      EXPECT_TRUE(row) << row.error().message;
      if (!row || !*row) return lines;
      lines += query.text_at(column) + "\n";
    }
  }

  std::int64_t count(const char* sql) {
    auto n = db_->conn().query_int(sql);
    EXPECT_TRUE(n) << n.error().message;
    return n ? *n : -1;
  }

  temp_dir dir_;
  std::unique_ptr<sqlite_database> db_;
};

inline delivery make_delivery(std::string delivery_id, std::string event_id = "",
                              std::string incident_id = "P1", std::int64_t at_ms = 1000) {
  return delivery{"pagerduty",
                  std::move(delivery_id),
                  std::move(event_id),
                  std::move(incident_id),
                  "event",
                  "{}",
                  at_ms};
}

}  // namespace warroom::store::testing
