// postgres_database: the store in a PostgreSQL database that several warroomd replicas share, so
// no single host stands between PagerDuty and the war room. Any replica answers any webhook or
// click: unique constraints dedupe deliveries (ON CONFLICT DO NOTHING), and jobs are claimed with
// a lease (`claimed_by`, `lease_until`) under FOR UPDATE SKIP LOCKED. A replica that dies stops
// renewing its leases, and another takes its jobs over when they run out. Claims are serialized by
// a transaction-scoped advisory lock, so one incident's jobs run one at a time across replicas.
// Migrations run under a session advisory lock, so replicas starting together migrate once.
// Not thread-safe: owned and used by one thread at a time.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include <warroom/store/database.hpp>
#include <warroom/store/pg_connection.hpp>
#include <warroom/store/records.hpp>
#include <warroom/util/result.hpp>

namespace warroom::store {

struct postgres_options {
  /// libpq URL or key=value string; a secret (may carry a password).
  std::string url;
  /// Names this process in `claimed_by`. Unique among live replicas; the same after a restart lets
  /// a process take its own unfinished jobs back at once instead of after their lease.
  std::string replica_id;
  /// How long a claim holds without renewal; renewed every third of it.
  std::int64_t lease_ms = 10000;
};

/// The channel NOTIFY wakes other replicas on when jobs are queued.
inline constexpr const char* jobs_channel = "warroom_jobs";

class postgres_database final : public database {
 public:
  /// Connects and migrates. Errors use code `unavailable`.
  static result<std::unique_ptr<postgres_database>> open(const postgres_options& options);

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
  /// Only this replica's own running jobs (same replica_id): another's may be alive.
  result<std::int64_t> recover_running_jobs(std::int64_t now_ms) override;
  result<void> renew_leases(std::int64_t now_ms) override;
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

  pg_connection& conn() noexcept { return *conn_; }
  const postgres_options& options() const noexcept { return options_; }

 protected:
  result<void> transact(const std::function<result<void>()>& body) override;

 private:
  postgres_database(std::unique_ptr<pg_connection> conn, postgres_options options)
      : conn_(std::move(conn)), options_(std::move(options)) {}
  /// Runs a read outside any transaction, noting a lost connection in health().
  result<pg_rows> read(std::string_view sql, std::initializer_list<pg_param> params);
  /// One statement in its own transaction (or the caller's); returns the rows it changed.
  result<std::int64_t> change(std::string_view sql, std::initializer_list<pg_param> params);
  /// A running job of ours moves on; `not_found` when it is not (any more).
  result<void> move_running(std::string_view sql, std::initializer_list<pg_param> params,
                            std::int64_t id);
  result<std::vector<ingest_result>> insert_deliveries(std::span<const delivery> batch);

  std::unique_ptr<pg_connection> conn_;
  postgres_options options_;
};

/// The schema version a fully migrated PostgreSQL database has.
std::int64_t postgres_schema_version() noexcept;
/// Applies the missing migrations under a session advisory lock. `unavailable` on failure or when
/// the database comes from a newer warroom.
result<void> migrate_postgres(pg_connection& conn);

}  // namespace warroom::store
