// database: the store as the runtime asks of it, whatever engine holds the data. Two
// implementations: sqlite_database (one node, the embedded default) and postgres_database (several
// replicas sharing one PostgreSQL database). The free functions of jobs.hpp and incidents.hpp are
// the names the pipelines use; they forward here.
// Not thread-safe: owned and used by one thread at a time (async_store's thread in production, the
// test thread in unit tests).
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include <warroom/store/records.hpp>
#include <warroom/util/result.hpp>

namespace warroom::store {

/// One job to schedule with schedule_jobs_once().
struct job_spec {
  std::string kind;
  std::string incident_id;
  std::string payload;
  std::int64_t due_ms = 0;
};

class database {
 public:
  database() = default;
  database(const database&) = delete;
  database& operator=(const database&) = delete;
  virtual ~database() = default;

  // --- transactions ---

  /// Runs `body` (returning result<T>) in one transaction: committed when it succeeds, rolled back
  /// when it or the commit fails. Inside a transaction already open, `body` runs in a savepoint
  /// instead: its failure undoes only its own changes and the enclosing transaction decides the
  /// commit. Storage failures (code `unavailable`) mark the store unhealthy; a commit that wrote
  /// marks it healthy again.
  template <class F>
  std::invoke_result_t<F&> write(F&& body);

  const store_health& health() const noexcept { return health_; }

  // --- deliveries ---

  /// Stores the whole batch in one transaction, or nothing. Per delivery, in order: `duplicate`
  /// when an earlier delivery (stored, or earlier in this batch) has the same (source,
  /// delivery_id) or the same non-empty (source, event_id); else `accepted`, with a new queued job
  /// when `job_kind` is not empty.
  virtual result<std::vector<ingest_result>> ingest_batch(std::span<const delivery> batch) = 0;
  /// Deletes at most `batch_limit` deliveries received before `older_than_ms`; returns how many.
  /// Small batches keep the write lock short so ingest batches interleave.
  virtual result<std::int64_t> prune_deliveries(std::int64_t older_than_ms, int batch_limit) = 0;

  // --- jobs ---

  /// Inserts `jobs` unless the step (owner, step) is already recorded, then records it, all in
  /// one transaction: scheduling the same jobs twice (a retried pipeline) schedules them once.
  /// True when this call scheduled them.
  virtual result<bool> schedule_jobs_once(std::string_view owner, std::string_view step,
                                          const std::vector<job_spec>& jobs,
                                          std::int64_t now_ms) = 0;
  /// Queues one job, due now; returns its id.
  virtual result<std::int64_t> enqueue_job(std::string_view kind, std::string_view incident_id,
                                           std::string_view payload, std::int64_t now_ms) = 0;
  /// Marks up to `limit` due jobs running and returns them in id order. Only the head of each
  /// incident is claimable (no other job of it running, none queued with a lower id), so one
  /// incident's jobs run one at a time, in order, whichever process claims them.
  virtual result<std::vector<job>> claim_ready_jobs(std::int64_t now_ms, int limit) = 0;
  /// Move a job this process is running on. `not_found` when it is not running here (any more).
  virtual result<void> complete_job(std::int64_t id, std::int64_t now_ms) = 0;
  virtual result<void> retry_job(std::int64_t id, std::string_view error_text,
                                 std::int64_t next_attempt_at_ms, std::int64_t now_ms) = 0;
  virtual result<void> bury_job(std::int64_t id, std::string_view error_text,
                                std::int64_t now_ms) = 0;
  /// Puts jobs that an earlier run of this process left running back in the queue, due at once;
  /// returns how many.
  virtual result<std::int64_t> recover_running_jobs(std::int64_t now_ms) = 0;
  /// Keeps the jobs this process runs its own (extends their leases). A no-op for one node.
  virtual result<void> renew_leases(std::int64_t /*now_ms*/) { return {}; }
  /// When the next claimable job is due (a queued head, or a lease that runs out), if any.
  virtual result<std::optional<std::int64_t>> next_job_due_ms() = 0;
  virtual result<std::optional<job>> get_job(std::int64_t id) = 0;
  virtual result<std::vector<job>> list_jobs(job_state state, int limit) = 0;
  virtual result<job_counts> count_jobs() = 0;
  /// Deletes at most `batch_limit` done jobs last updated before `older_than_ms`.
  virtual result<std::int64_t> prune_done_jobs(std::int64_t older_than_ms, int batch_limit) = 0;

  // --- war rooms, checkpoints, audit ---

  virtual result<void> upsert_incident(const incident_record& record) = 0;
  virtual result<std::optional<incident_record>> get_incident(std::string_view id) = 0;
  /// The war room whose channel is `channel_id` (the latest one, should a channel be reused).
  virtual result<std::optional<incident_record>> find_incident_by_channel(
      std::string_view channel_id) = 0;
  /// Most recently updated first.
  virtual result<std::vector<incident_record>> list_incidents(int limit) = 0;
  /// Open war rooms by status ("triggered", "acknowledged"); statuses with none are absent.
  virtual result<std::map<std::string, std::int64_t>> count_open_incidents() = 0;
  virtual result<void> save_step(std::string_view owner, std::string_view step,
                                 std::string_view value, std::int64_t now_ms) = 0;
  virtual result<std::map<std::string, std::string>> load_steps(std::string_view owner) = 0;
  virtual result<void> append_audit(const audit_entry& entry) = 0;
  /// Oldest first.
  virtual result<std::vector<audit_entry>> list_audit(std::string_view incident_id, int limit) = 0;

  // --- housekeeping (SQLite's WAL; nothing to do elsewhere) ---

  /// Copies the whole WAL into the database file, between transactions.
  virtual result<void> checkpoint() { return {}; }
  /// WAL pages after the last commit (0 when not counted).
  virtual std::int64_t wal_frames() const noexcept { return 0; }
  /// Gives caches back (SQLite's page cache) when the daemon is idle; they refill on demand.
  virtual void release_memory() {}

 protected:
  /// Runs `body` in a transaction, or in a savepoint inside one (see write()).
  virtual result<void> transact(const std::function<result<void>()>& body) = 0;
  /// Records a storage failure (code `unavailable`) in health(); other codes are the caller's.
  void note_failure(const error& failure) {
    if (failure.code != "unavailable") return;
    health_.healthy = false;
    health_.last_error = failure.message;
  }
  void note_success() noexcept { health_.healthy = true; }

 private:
  store_health health_;
};

template <class F>
std::invoke_result_t<F&> database::write(F&& body) {
  using result_type = std::invoke_result_t<F&>;
  // A plain result, not an optional of one: GCC 12 at -O2 misreads the optional's destruction
  // (-Wfree-nonheap-object).
  result_type outcome = result_type(error{"unavailable", "the write did not run"});
  auto ran = transact([&]() -> result<void> {
    outcome = body();
    if (!outcome.has_value()) return outcome.error();
    return {};
  });
  if (!ran) return result_type(ran.error());
  return outcome;
}

}  // namespace warroom::store
