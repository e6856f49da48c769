// The PostgreSQL the tests use: the throwaway cluster the `postgres` ctest fixture starts with
// scripts/pg-cluster.sh (its URL in <build>/postgres-cluster/url), or WARROOM_TEST_POSTGRES_URL.
// A schema of its own per unit test (cheap, and parallel tests never meet); a database of its
// own per daemon test (the daemon takes a plain URL).
#pragma once

#include <cstdlib>
#include <fstream>
#include <random>
#include <stdexcept>
#include <string>

#include <warroom/store/pg_connection.hpp>

namespace warroom::test {

inline std::string test_postgres_url() {
  if (const char* env = std::getenv("WARROOM_TEST_POSTGRES_URL"); env != nullptr && *env != '\0')
    return env;
  std::ifstream in(std::string(WARROOM_BINARY_DIR) + "/postgres-cluster/url");
  std::string url;
  std::getline(in, url);
  if (url.empty()) throw std::runtime_error("no PostgreSQL test cluster: run through ctest");
  return url;
}

/// Runs one statement on the cluster's own database; throws on failure.
inline void run_on_cluster(const std::string& sql) {
  auto admin = store::pg_connection::open(test_postgres_url());
  if (!admin) throw std::runtime_error(admin.error().message);
  if (auto ran = (*admin)->exec(sql.c_str()); !ran) throw std::runtime_error(ran.error().message);
}

inline std::string random_name(const char* prefix) {
  std::random_device seed;
  return prefix + std::to_string(seed()) + std::to_string(seed());
}

/// A schema of its own, dropped at the end; url() points into it.
class postgres_schema {
 public:
  postgres_schema() : base_(test_postgres_url()), name_(random_name("t")) {
    run_on_cluster("CREATE SCHEMA " + name_);
  }
  postgres_schema(const postgres_schema&) = delete;
  postgres_schema& operator=(const postgres_schema&) = delete;
  ~postgres_schema() {
    try {
      run_on_cluster("DROP SCHEMA " + name_ + " CASCADE");
    } catch (const std::exception&) {  // best effort: the cluster goes away after the run
    }
  }
  std::string url() const {
    return base_ + (base_.find('?') == std::string::npos ? "?" : "&") + "options=-csearch_path%3D" +
           name_;
  }

 private:
  std::string base_;
  std::string name_;
};

/// A database of its own, dropped (with whatever still connects to it) at the end.
class postgres_database_scratch {
 public:
  postgres_database_scratch() : base_(test_postgres_url()), name_(random_name("d")) {
    run_on_cluster("CREATE DATABASE " + name_);
  }
  postgres_database_scratch(const postgres_database_scratch&) = delete;
  postgres_database_scratch& operator=(const postgres_database_scratch&) = delete;
  ~postgres_database_scratch() {
    try {
      run_on_cluster("DROP DATABASE " + name_ + " WITH (FORCE)");
    } catch (const std::exception&) {
    }
  }
  std::string url() const {
    const auto slash = base_.rfind('/');
    const auto query = base_.find('?');
    return base_.substr(0, slash + 1) + name_ +
           (query == std::string::npos ? "" : base_.substr(query));
  }

 private:
  std::string base_;
  std::string name_;
};

}  // namespace warroom::test
