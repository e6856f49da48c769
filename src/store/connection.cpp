#include <mutex>
#include <utility>

#include <sqlite3.h>

#include <warroom/store/connection.hpp>
#include <warroom/store/wal_write_buffer.hpp>

namespace warroom::store {
namespace {

// SQLite's memory statistics take a process-wide mutex on every allocation and free (callgrind
// counted 52 sqlite3_mutex_enter per accepted webhook with them on). We never read the statistics
// nor set a soft heap limit. Only possible before the library initialises, which the first open
// does.
void configure_library_once() {
  static std::once_flag once;
  std::call_once(once, [] { (void)sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0); });
}

}  // namespace

error storage_error(sqlite3* db, std::string_view what) {
  std::string message(what);
  message += ": ";
  message += db != nullptr ? sqlite3_errmsg(db) : "out of memory";
  return make_error("unavailable", std::move(message));
}

statement::statement(sqlite3* db, sqlite3_stmt* stmt, int prepare_rc) noexcept
    : db_(db), stmt_(stmt), rc_(prepare_rc) {}

statement::~statement() {
  if (stmt_ != nullptr) {
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
  }
}

statement& statement::bind(int index, std::int64_t value) {
  if (rc_ == SQLITE_OK) rc_ = sqlite3_bind_int64(stmt_, index, value);
  return *this;
}

statement& statement::bind(int index, std::string_view value) {
  if (rc_ == SQLITE_OK) {
    rc_ = sqlite3_bind_text64(stmt_, index, value.data(), value.size(), SQLITE_TRANSIENT,
                              SQLITE_UTF8);
  }
  return *this;
}

statement& statement::bind_borrowed(int index, std::string_view value) {
  if (rc_ == SQLITE_OK) {
    rc_ = sqlite3_bind_text64(stmt_, index, value.data(), value.size(), SQLITE_STATIC, SQLITE_UTF8);
  }
  return *this;
}

statement& statement::bind_null(int index) {
  if (rc_ == SQLITE_OK) rc_ = sqlite3_bind_null(stmt_, index);
  return *this;
}

result<bool> statement::step() {
  if (rc_ != SQLITE_OK || stmt_ == nullptr) return storage_error(db_, "prepare");
  int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  return storage_error(db_, "step");
}

result<void> statement::run() {
  return each_row([](const statement&) {});
}

std::int64_t statement::int_at(int column) const {
  return sqlite3_column_int64(stmt_, column);
}

std::string statement::text_at(int column) const {
  return std::string(text_view_at(column));
}

std::string_view statement::text_view_at(int column) const {
  const auto* text = sqlite3_column_text(stmt_, column);
  if (text == nullptr) return {};
  return {reinterpret_cast<const char*>(text),
          static_cast<std::size_t>(sqlite3_column_bytes(stmt_, column))};
}

result<std::unique_ptr<connection>> connection::open(const std::string& path, mode open_mode,
                                                     int busy_timeout_ms, bool buffer_wal_writes) {
  const int flags = open_mode == mode::read_only ? SQLITE_OPEN_READONLY
                                                 : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
  configure_library_once();  // before anything initialises the library, such as finding a VFS
  const char* vfs = buffer_wal_writes ? wal_write_buffer_vfs() : nullptr;
  sqlite3* db = nullptr;
  const int rc = sqlite3_open_v2(path.c_str(), &db, flags | SQLITE_OPEN_NOMUTEX, vfs);
  if (rc != SQLITE_OK) {
    auto err = storage_error(db, "open " + path);
    sqlite3_close(db);
    return err;
  }
  sqlite3_extended_result_codes(db, 1);
  sqlite3_busy_timeout(db, busy_timeout_ms);
  return std::unique_ptr<connection>(new connection(db));
}

connection::~connection() {
  for (auto& [sql, stmt] : cache_)
    sqlite3_finalize(stmt);
  sqlite3_close(db_);
}

result<void> connection::exec(const char* sql) {
  if (sqlite3_exec(db_, sql, nullptr, nullptr, nullptr) != SQLITE_OK) {
    return storage_error(db_, "exec");
  }
  return {};
}

statement connection::prepare(std::string_view sql) {
  if (auto it = cache_.find(sql); it != cache_.end()) return statement(db_, it->second, SQLITE_OK);
  sqlite3_stmt* stmt = nullptr;
  const int rc = sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()),
                                    SQLITE_PREPARE_PERSISTENT, &stmt, nullptr);
  // A failed prepare is not cached, so a later call (after a schema fix or recovery) retries it.
  if (rc == SQLITE_OK) cache_.emplace(std::string(sql), stmt);
  return statement(db_, stmt, rc);
}

result<std::int64_t> connection::query_int(std::string_view sql) {
  auto stmt = prepare(sql);
  auto row = stmt.step();
  if (!row) return row.error();
  if (!*row) return make_error("unavailable", "query returned no row");
  return stmt.int_at(0);
}

std::int64_t connection::changes() const noexcept {
  return sqlite3_changes64(db_);
}

std::int64_t connection::last_insert_rowid() const noexcept {
  return sqlite3_last_insert_rowid(db_);
}

bool connection::in_transaction() const noexcept {
  return sqlite3_get_autocommit(db_) == 0;
}

}  // namespace warroom::store
