// database: the synchronous SQLite layer of the store. Opens the file (WAL, synchronous=FULL, busy
// timeout), migrates it, ingests deliveries in all-or-nothing batches and runs writes in
// `BEGIN IMMEDIATE` transactions while tracking store health. The job, incident, step and audit
// operations are free functions over a database (jobs.hpp, incidents.hpp).
// Not thread-safe: owned and used by one thread at a time (sqlite_store's thread in production,
// the test thread in unit tests).
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include <warroom/store/connection.hpp>
#include <warroom/store/records.hpp>
#include <warroom/util/result.hpp>

namespace warroom::store {

struct database_options {
  std::string path;
  int busy_timeout_ms = 5000;
  /// Opens without write access (inspection, tests); the file must already be migrated.
  bool read_only = false;
  /// Turns SQLite's automatic checkpoint (inside the commit that crosses 1000 WAL pages) off: the
  /// owner checkpoints, watching wal_frames() (sqlite_store runs a checkpointer thread).
  bool external_checkpoint = false;
};

class database {
 public:
  /// Opens and migrates. Errors use code `unavailable`.
  static result<std::unique_ptr<database>> open(const database_options& options);

  /// Stores the whole batch in one transaction, or nothing. Per delivery, in order: `duplicate`
  /// when an earlier delivery (stored, or earlier in this batch) has the same (source,
  /// delivery_id) or the same non-empty (source, event_id); else `accepted`, with a new queued job
  /// when `job_kind` is not empty.
  result<std::vector<ingest_result>> ingest_batch(std::span<const delivery> batch);

  /// Deletes at most `batch_limit` deliveries received before `older_than_ms`; returns how many.
  /// Small batches keep the write lock short so ingest batches interleave.
  result<std::int64_t> prune_deliveries(std::int64_t older_than_ms, int batch_limit);

  /// Runs `body` (returning result<T>) inside BEGIN IMMEDIATE ... COMMIT. A failed body or commit
  /// rolls back. Storage failures (code `unavailable`) mark the store unhealthy; a commit marks
  /// it healthy again. Inside a transaction already open, `body` runs in a savepoint instead: its
  /// failure undoes only its own changes and the enclosing transaction decides the commit.
  template <class F>
  std::invoke_result_t<F&> write(F&& body);

  /// Copies the whole WAL into the database file on this connection, between transactions, so the
  /// next commit restarts the WAL (bounds it when the external checkpointer falls behind).
  result<void> checkpoint();
  /// WAL pages after the last commit (only counted with `external_checkpoint`).
  std::int64_t wal_frames() const noexcept { return wal_frames_; }

  const store_health& health() const noexcept { return health_; }
  connection& conn() noexcept { return *conn_; }

 private:
  explicit database(std::unique_ptr<connection> conn) : conn_(std::move(conn)) {}
  result<void> begin();
  result<void> finish(const error* failure);
  result<void> release(const error* failure);
  void note_failure(const error& failure);
  static int on_wal_commit(void* self, sqlite3* db, const char* name, int frames);

  std::unique_ptr<connection> conn_;
  store_health health_;
  std::int64_t wal_frames_ = 0;
  std::int64_t changes_at_begin_ = 0;  // sqlite3_total_changes64 when the transaction began
};

template <class F>
std::invoke_result_t<F&> database::write(F&& body) {
  using result_type = std::invoke_result_t<F&>;
  const bool nested = conn_->in_transaction();
  if (auto begun = nested ? conn_->exec("SAVEPOINT warroom_write") : begin(); !begun)
    return result_type(begun.error());
  result_type outcome = body();
  const error* failure = outcome.has_value() ? nullptr : &outcome.error();
  auto ended = nested ? release(failure) : finish(failure);
  if (!ended) return result_type(ended.error());
  return outcome;
}

}  // namespace warroom::store
