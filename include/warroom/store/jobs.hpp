// The job queue over a database: claim in per-incident order, complete, retry, bury (dead letter),
// recover after a crash. All functions run on the database's thread; each write is one
// transaction. Times are milliseconds since the Unix epoch, passed in by the caller.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <warroom/store/records.hpp>
#include <warroom/util/result.hpp>

namespace warroom::store {

class connection;
class database;

const char* to_string(job_state state) noexcept;

/// Inserts a queued job due at `now_ms` inside the caller's transaction; returns its id.
result<std::int64_t> insert_job(connection& conn, std::string_view kind,
                                std::string_view incident_id, std::string_view payload,
                                std::int64_t now_ms);

/// A job to insert, due at `due_ms` (a scheduled job: a reminder, an archive).
struct job_spec {
  std::string kind;
  std::string incident_id;
  std::string payload;
  std::int64_t due_ms = 0;
};

/// Inserts `jobs` and checkpoints step `step` of `owner` in one transaction, unless that step is
/// already checkpointed: scheduling survives a crash and is never doubled. False when the step was
/// already there (nothing inserted).
result<bool> schedule_jobs_once(database& db, std::string_view owner, std::string_view step,
                                const std::vector<job_spec>& jobs, std::int64_t now_ms);

/// Inserts a queued job in its own transaction (jobs not born from a delivery).
result<std::int64_t> enqueue_job(database& db, std::string_view kind, std::string_view incident_id,
                                 std::string_view payload, std::int64_t now_ms);

/// Marks running (attempts + 1) and returns, in id order, up to `limit` queued jobs that are due
/// and head their incident: no lower-id job of the same incident is queued or running and no job
/// of it is running. So one incident's jobs run one at a time in arrival order, while different
/// incidents (and jobs without an incident) run in parallel.
result<std::vector<job>> claim_ready_jobs(database& db, std::int64_t now_ms, int limit);

/// running → done. Code `not_found` when the job is not running.
result<void> complete_job(database& db, std::int64_t id, std::int64_t now_ms);
/// running → queued, due at `next_attempt_at_ms`, keeping `error_text` as last_error.
result<void> retry_job(database& db, std::int64_t id, std::string_view error_text,
                       std::int64_t next_attempt_at_ms, std::int64_t now_ms);
/// running → dead (the dead letter), keeping `error_text`. Later jobs of the incident proceed.
result<void> bury_job(database& db, std::int64_t id, std::string_view error_text,
                      std::int64_t now_ms);

/// At start: every running job (the process died mid-job) back to queued. Returns how many.
result<std::int64_t> recover_running_jobs(database& db, std::int64_t now_ms);

/// When the earliest claimable-by-order queued job becomes due; nullopt when none is queued.
result<std::optional<std::int64_t>> next_job_due_ms(database& db);

result<std::optional<job>> get_job(database& db, std::int64_t id);
/// Jobs in `state`, lowest id first (dead letters for the admin API).
result<std::vector<job>> list_jobs(database& db, job_state state, int limit);
result<job_counts> count_jobs(database& db);

/// Deletes at most `batch_limit` done jobs last updated before `older_than_ms`.
result<std::int64_t> prune_done_jobs(database& db, std::int64_t older_than_ms, int batch_limit);

}  // namespace warroom::store
