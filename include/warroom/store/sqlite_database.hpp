// sqlite_database: the store in one SQLite file, for one node (the embedded default). Opens the
// file (WAL, synchronous=FULL, busy timeout), migrates it, ingests deliveries in all-or-nothing
// batches and runs writes in `BEGIN IMMEDIATE` transactions while tracking store health.
// One process owns the file: whatever is running when it opens was left by a process that died.
// Not thread-safe: owned and used by one thread at a time.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include <warroom/store/connection.hpp>
#include <warroom/store/database.hpp>
#include <warroom/store/records.hpp>
#include <warroom/util/result.hpp>

namespace warroom::store {

struct database_options {
  std::string path;
  int busy_timeout_ms = 5000;
  /// Opens without write access (inspection, tests); the file must already be migrated.
  bool read_only = false;
  /// Turns SQLite's automatic checkpoint (inside the commit that crosses 1000 WAL pages) off: the
  /// owner checkpoints, watching wal_frames() (async_store runs a checkpointer thread).
  bool external_checkpoint = false;
  /// Page cache bound in KiB; 0 keeps SQLite's default (2 MiB). A connection that only scans
  /// (store::reader) needs little, and whatever it holds stays resident.
  int cache_kib = 0;
};

/// False for ":memory:" and "file:" URIs: there a second connection does not open the same
/// database file the way the first did.
bool names_a_file(const std::string& path);

class sqlite_database final : public database {
 public:
  /// Opens and migrates. Errors use code `unavailable`.
  static result<std::unique_ptr<sqlite_database>> open(const database_options& options);

  result<std::vector<ingest_result>> ingest_batch(std::span<const delivery> batch) override;
  result<std::int64_t> prune_deliveries(std::int64_t older_than_ms, int batch_limit) override;

  result<bool> schedule_jobs_once(std::string_view owner, std::string_view step,
                                  const std::vector<job_spec>& jobs, std::int64_t now_ms) override;
  result<std::int64_t> enqueue_job(std::string_view kind, std::string_view incident_id,
                                   std::string_view payload, std::int64_t now_ms) override;
  result<std::vector<job>> claim_ready_jobs(std::int64_t now_ms, int limit) override;
  result<void> complete_job(std::int64_t id, std::int64_t now_ms) override;
  result<void> retry_job(std::int64_t id, std::string_view error_text,
                         std::int64_t next_attempt_at_ms, std::int64_t now_ms) override;
  result<void> bury_job(std::int64_t id, std::string_view error_text, std::int64_t now_ms) override;
  result<std::int64_t> recover_running_jobs(std::int64_t now_ms) override;
  result<std::optional<std::int64_t>> next_job_due_ms() override;
  result<std::optional<job>> get_job(std::int64_t id) override;
  result<std::vector<job>> list_jobs(job_state state, int limit) override;
  result<job_counts> count_jobs() override;
  result<std::int64_t> prune_done_jobs(std::int64_t older_than_ms, int batch_limit) override;

  result<void> upsert_incident(const incident_record& record) override;
  result<std::optional<incident_record>> get_incident(std::string_view id) override;
  result<std::optional<incident_record>> find_incident_by_channel(
      std::string_view channel_id) override;
  result<std::vector<incident_record>> list_incidents(int limit) override;
  result<std::map<std::string, std::int64_t>> count_open_incidents() override;
  result<void> save_step(std::string_view owner, std::string_view step, std::string_view value,
                         std::int64_t now_ms) override;
  result<std::map<std::string, std::string>> load_steps(std::string_view owner) override;
  result<void> append_audit(const audit_entry& entry) override;
  result<std::vector<audit_entry>> list_audit(std::string_view incident_id, int limit) override;

  /// Copies the whole WAL into the database file on this connection, between transactions, so the
  /// next commit restarts the WAL (bounds it when the external checkpointer falls behind).
  result<void> checkpoint() override;
  /// WAL pages after the last commit (only counted with `external_checkpoint`).
  std::int64_t wal_frames() const noexcept override { return wal_frames_; }
  void release_memory() override;

  connection& conn() noexcept { return *conn_; }

 protected:
  result<void> transact(const std::function<result<void>()>& body) override;

 private:
  explicit sqlite_database(std::unique_ptr<connection> conn) : conn_(std::move(conn)) {}
  result<void> begin();
  result<void> finish(const error* failure);
  result<void> release(const error* failure);
  static int on_wal_commit(void* self, sqlite3* db, const char* name, int frames);

  std::unique_ptr<connection> conn_;
  std::int64_t wal_frames_ = 0;
  std::int64_t changes_at_begin_ = 0;  // sqlite3_total_changes64 when the transaction began
};

/// Inserts a queued job due at `due_ms` inside the caller's transaction; returns its id.
result<std::int64_t> insert_sqlite_job(connection& conn, std::string_view kind,
                                       std::string_view incident_id, std::string_view payload,
                                       std::int64_t due_ms, std::int64_t now_ms);

}  // namespace warroom::store
