// connection: one SQLite connection with a cache of prepared statements, and `statement`, a
// borrowed use of one cached statement. Not thread-safe: one thread at a time (the store thread).
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>

#include <warroom/util/result.hpp>

struct sqlite3;
struct sqlite3_stmt;

namespace warroom::store {

/// A cached prepared statement in use. Binds are 1-based, columns 0-based. The statement is reset
/// and its bindings cleared when this object ends, so the cache can hand it out again.
class statement {
 public:
  statement(sqlite3* db, sqlite3_stmt* stmt, int prepare_rc) noexcept;
  statement(const statement&) = delete;
  statement& operator=(const statement&) = delete;
  ~statement();

  statement& bind(int index, std::int64_t value);
  statement& bind(int index, std::string_view value);
  /// Binds `value` without copying it: it must outlive this statement's last step.
  statement& bind_borrowed(int index, std::string_view value);
  statement& bind_null(int index);

  /// Steps once: true when a row is available, false when done.
  result<bool> step();
  /// Steps to completion (for statements without rows, or when the rows do not matter).
  result<void> run();
  /// Steps through every row, calling `on_row(*this)` for each.
  template <class F>
  result<void> each_row(F&& on_row) {
    for (;;) {
      auto row = step();
      if (!row) return row.error();
      if (!*row) return {};
      on_row(static_cast<const statement&>(*this));
    }
  }

  std::int64_t int_at(int column) const;
  std::string text_at(int column) const;
  /// The column's text, valid until the next step (or the statement's end).
  std::string_view text_view_at(int column) const;

 private:
  sqlite3* db_;
  sqlite3_stmt* stmt_;
  int rc_;  // first failure of prepare or bind, reported by step()
};

class connection {
 public:
  enum class mode { read_write_create, read_only };

  /// Opens the file and sets the busy timeout; errors use code `unavailable`.
  /// `buffer_wal_writes`: through wal_write_buffer_vfs(), for the connection that writes.
  static result<std::unique_ptr<connection>> open(const std::string& path, mode open_mode,
                                                  int busy_timeout_ms,
                                                  bool buffer_wal_writes = false);
  connection(const connection&) = delete;
  connection& operator=(const connection&) = delete;
  ~connection();

  /// Runs one or more statements without parameters.
  result<void> exec(const char* sql);
  /// Returns the cached statement for `sql`, preparing it on first use (never per request).
  statement prepare(std::string_view sql);
  /// Runs a single-value query such as `PRAGMA user_version`.
  result<std::int64_t> query_int(std::string_view sql);

  std::int64_t changes() const noexcept;
  std::int64_t last_insert_rowid() const noexcept;
  bool in_transaction() const noexcept;
  sqlite3* handle() const noexcept { return db_; }

 private:
  explicit connection(sqlite3* db) noexcept : db_(db) {}
  sqlite3* db_;
  std::map<std::string, sqlite3_stmt*, std::less<>> cache_;
};

/// The `unavailable` error for a failed SQLite call: what we tried plus SQLite's message.
error storage_error(sqlite3* db, std::string_view what);

}  // namespace warroom::store
