// The job queue over a database: claim in per-incident order, complete, retry, bury (dead letter),
// recover after a crash. The names the pipelines use; each forwards to the database (see
// database.hpp for the contracts). All run on the database's thread; each write is one
// transaction. Times are milliseconds since the Unix epoch, passed in by the caller.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include <warroom/store/database.hpp>
#include <warroom/store/records.hpp>
#include <warroom/util/result.hpp>

namespace warroom::store {

inline result<bool> schedule_jobs_once(database& db, std::string_view owner, std::string_view step,
                                       const std::vector<job_spec>& jobs, std::int64_t now_ms) {
  return db.schedule_jobs_once(owner, step, jobs, now_ms);
}

inline result<std::int64_t> enqueue_job(database& db, std::string_view kind,
                                        std::string_view incident_id, std::string_view payload,
                                        std::int64_t now_ms) {
  return db.enqueue_job(kind, incident_id, payload, now_ms);
}

inline result<std::vector<job>> claim_ready_jobs(database& db, std::int64_t now_ms, int limit) {
  return db.claim_ready_jobs(now_ms, limit);
}

inline result<void> complete_job(database& db, std::int64_t id, std::int64_t now_ms) {
  return db.complete_job(id, now_ms);
}

inline result<void> retry_job(database& db, std::int64_t id, std::string_view error_text,
                              std::int64_t next_attempt_at_ms, std::int64_t now_ms) {
  return db.retry_job(id, error_text, next_attempt_at_ms, now_ms);
}

inline result<void> bury_job(database& db, std::int64_t id, std::string_view error_text,
                             std::int64_t now_ms) {
  return db.bury_job(id, error_text, now_ms);
}

inline result<std::int64_t> recover_running_jobs(database& db, std::int64_t now_ms) {
  return db.recover_running_jobs(now_ms);
}

inline result<std::optional<std::int64_t>> next_job_due_ms(database& db) {
  return db.next_job_due_ms();
}

inline result<std::optional<job>> get_job(database& db, std::int64_t id) {
  return db.get_job(id);
}

inline result<std::vector<job>> list_jobs(database& db, job_state state, int limit) {
  return db.list_jobs(state, limit);
}

inline result<job_counts> count_jobs(database& db) {
  return db.count_jobs();
}

inline result<std::int64_t> prune_done_jobs(database& db, std::int64_t older_than_ms,
                                            int batch_limit) {
  return db.prune_done_jobs(older_than_ms, batch_limit);
}

}  // namespace warroom::store
