// pg_connection: one libpq connection, used blocking from the store thread (the event loop never
// waits on it: async_store owns the thread). Parameters and results travel as text. A lost
// connection is reopened by the next call once its backoff has passed, so a PostgreSQL restart
// costs the calls made meanwhile (code `unavailable`), never the process.
// Not thread-safe: one thread at a time.
#pragma once

#include <chrono>
#include <cstdint>
#include <initializer_list>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <warroom/util/result.hpp>

struct pg_conn;
struct pg_result;

namespace warroom::store {

struct libpq_api;

/// A query's rows. Columns 0-based; NULL reads as "" or 0.
class pg_rows {
 public:
  pg_rows() = default;
  pg_rows(const libpq_api* pq, ::pg_result* res) noexcept : pq_(pq), res_(res, clear{pq}) {}
  int size() const noexcept;
  bool empty() const noexcept { return size() == 0; }
  std::string text_at(int row, int column) const;
  std::int64_t int_at(int row, int column) const;
  bool is_null(int row, int column) const noexcept;
  /// Rows a command changed (UPDATE, DELETE, INSERT).
  std::int64_t affected() const noexcept;

 private:
  struct clear {
    const libpq_api* pq = nullptr;
    void operator()(::pg_result* res) const noexcept;
  };
  const libpq_api* pq_ = nullptr;
  std::unique_ptr<::pg_result, clear> res_;
};

/// A statement parameter: text, a number, or NULL.
class pg_param {
 public:
  pg_param(std::string_view text) : value_(std::string(text)) {}     // NOLINT: implicit by design
  pg_param(const char* text) : value_(std::string(text)) {}          // NOLINT
  pg_param(const std::string& text) : value_(text) {}                // NOLINT
  pg_param(std::int64_t number) : value_(std::to_string(number)) {}  // NOLINT
  pg_param(int number) : value_(std::to_string(number)) {}           // NOLINT
  static pg_param null() { return pg_param(); }
  const char* c_str() const noexcept { return value_ ? value_->c_str() : nullptr; }

 private:
  pg_param() = default;
  std::optional<std::string> value_;
};

class pg_connection {
 public:
  /// Connects (libpq URL or key=value string), loading libpq on first use. Errors use code
  /// `unavailable` and never carry the URL, which may hold a password.
  static result<std::unique_ptr<pg_connection>> open(const std::string& url);
  pg_connection(const pg_connection&) = delete;
  pg_connection& operator=(const pg_connection&) = delete;
  ~pg_connection();

  /// Runs one statement with `$1`... parameters. Failures: `unavailable` for the connection, the
  /// server's state and every error worth retrying; `invalid` for data the server refused
  /// (SQLSTATE classes 22 and 23).
  result<pg_rows> run(std::string_view sql, std::initializer_list<pg_param> params = {});
  result<pg_rows> run(std::string_view sql, const std::vector<pg_param>& params);
  /// Runs statements without parameters (several separated by `;` allowed).
  result<void> exec(const char* sql);

  /// Reconnects when the connection was lost, at most once per backoff (100 ms doubling to 5 s).
  /// `unavailable` while it stays down.
  result<void> ensure_open();
  bool in_transaction() const noexcept;
  /// The server process serving this connection (tests end it to simulate a lost connection).
  int backend_pid() const noexcept;

 private:
  pg_connection(const libpq_api* pq, ::pg_conn* conn) noexcept : pq_(pq), conn_(conn) {}
  result<pg_rows> finish(::pg_result* res, std::string_view sql);

  const libpq_api* pq_;
  ::pg_conn* conn_;
  std::chrono::steady_clock::time_point next_reconnect_{};
  std::chrono::milliseconds backoff_{100};
};

/// `{"a","b\"c"}`: a PostgreSQL array literal of the texts, for `$n::text[]`.
std::string pg_text_array(const std::vector<std::string_view>& items);
/// `{1,2,3}`: for `$n::bigint[]`.
std::string pg_int_array(const std::vector<std::int64_t>& items);

}  // namespace warroom::store
