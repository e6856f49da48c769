#include <algorithm>
#include <string>

#include <warroom/store/postgres_database.hpp>

namespace warroom::store {
namespace {

#define WARROOM_PG_JOB_COLUMNS                                                                 \
  "id, kind, incident_id, payload, state, attempts, next_attempt_at, last_error, created_at, " \
  "updated_at"

// A job `j` heads its incident when no other job of the incident holds a live lease and none
// with a lower id is waiting (queued, or running on a lease that ran out). Jobs without an
// incident never wait for each other. $1 is now.
#define WARROOM_PG_JOB_IS_HEAD                                                                   \
  "(j.incident_id = '' OR NOT EXISTS (SELECT 1 FROM jobs e WHERE e.incident_id = j.incident_id " \
  "AND e.id <> j.id AND ((e.state = 'running' AND e.lease_until >= $1) OR (e.state IN "          \
  "('queued', 'running') AND e.id < j.id))))"

// Claims queue on this transaction-scoped lock, so two replicas never both see an incident's
// head as free; SKIP LOCKED then only passes over rows a finishing job still holds.
constexpr const char* claim_lock = "SELECT pg_advisory_xact_lock(7797353787372910)";

// The two kinds of claimable job each come from their own partial index in id order, and each
// scan stops at the limit: an OR of both would sort every job in the table on every claim.
constexpr const char* claim_sql =
    "WITH candidates AS ((SELECT j.id FROM jobs j WHERE j.state = 'queued' AND "
    "j.next_attempt_at <= $1 AND " WARROOM_PG_JOB_IS_HEAD
    " ORDER BY j.id LIMIT $2) UNION ALL (SELECT j.id FROM jobs j WHERE j.state = 'running' AND "
    "j.lease_until < $1 AND " WARROOM_PG_JOB_IS_HEAD
    " ORDER BY j.id LIMIT $2)) "
    "UPDATE jobs SET state = 'running', attempts = attempts + 1, updated_at = $1, "
    "claimed_by = $3, lease_until = $4 WHERE id IN (SELECT id FROM jobs WHERE id IN (SELECT id "
    "FROM candidates ORDER BY id LIMIT $2) FOR UPDATE SKIP LOCKED) "
    "RETURNING " WARROOM_PG_JOB_COLUMNS;

std::vector<job> read_jobs(const pg_rows& rows) {
  std::vector<job> jobs;
  jobs.reserve(static_cast<std::size_t>(rows.size()));
  for (int r = 0; r < rows.size(); ++r) {
    job j;
    j.id = rows.int_at(r, 0);
    j.kind = rows.text_at(r, 1);
    j.incident_id = rows.text_at(r, 2);
    j.payload = rows.text_at(r, 3);
    j.state = parse_job_state(rows.text_at(r, 4));
    j.attempts = static_cast<int>(rows.int_at(r, 5));
    j.next_attempt_at_ms = rows.int_at(r, 6);
    j.last_error = rows.text_at(r, 7);
    j.created_at_ms = rows.int_at(r, 8);
    j.updated_at_ms = rows.int_at(r, 9);
    jobs.push_back(std::move(j));
  }
  return jobs;
}

result<std::int64_t> insert_job(pg_connection& conn, std::string_view kind,
                                std::string_view incident_id, std::string_view payload,
                                std::int64_t due_ms, std::int64_t now_ms) {
  auto inserted = conn.run(
      "INSERT INTO jobs (kind, incident_id, payload, state, next_attempt_at, created_at, "
      "updated_at) VALUES ($1, $2, $3, 'queued', $4, $5, $5) RETURNING id",
      {kind, incident_id, payload, due_ms, now_ms});
  if (!inserted) return inserted.error();
  if (auto told = conn.exec("NOTIFY warroom_jobs"); !told) return told.error();
  return inserted->int_at(0, 0);
}

}  // namespace

result<bool> postgres_database::schedule_jobs_once(std::string_view owner, std::string_view step,
                                                   const std::vector<job_spec>& jobs,
                                                   std::int64_t now_ms) {
  return write([&]() -> result<bool> {
    // The mark goes first: a replica doing the same waits on its key and then finds it taken.
    auto marked = conn_->run(
        "INSERT INTO steps (owner, step, result, updated_at) VALUES ($1, $2, '1', $3) "
        "ON CONFLICT DO NOTHING",
        {owner, step, now_ms});
    if (!marked) return marked.error();
    if (marked->affected() == 0) return false;
    for (const auto& j : jobs)
      if (auto id = insert_job(*conn_, j.kind, j.incident_id, j.payload, j.due_ms, now_ms); !id)
        return id.error();
    return true;
  });
}

result<std::int64_t> postgres_database::enqueue_job(std::string_view kind,
                                                    std::string_view incident_id,
                                                    std::string_view payload, std::int64_t now_ms) {
  return write([&] { return insert_job(*conn_, kind, incident_id, payload, now_ms, now_ms); });
}

result<std::vector<job>> postgres_database::claim_ready_jobs(std::int64_t now_ms, int limit) {
  return write([&]() -> result<std::vector<job>> {
    if (auto locked = conn_->run(claim_lock); !locked) return locked.error();
    auto rows =
        conn_->run(claim_sql, {now_ms, limit, options_.replica_id, now_ms + options_.lease_ms});
    if (!rows) return rows.error();
    auto jobs = read_jobs(*rows);
    std::ranges::sort(jobs, {}, &job::id);
    return jobs;
  });
}

result<void> postgres_database::complete_job(std::int64_t id, std::int64_t now_ms) {
  return move_running(
      "UPDATE jobs SET state = 'done', updated_at = $2, lease_until = 0 WHERE id = $1 AND "
      "state = 'running' AND claimed_by = $3",
      {id, now_ms, options_.replica_id}, id);
}

result<void> postgres_database::retry_job(std::int64_t id, std::string_view error_text,
                                          std::int64_t next_attempt_at_ms, std::int64_t now_ms) {
  return move_running(
      "UPDATE jobs SET state = 'queued', updated_at = $2, last_error = $3, next_attempt_at = $4, "
      "lease_until = 0 WHERE id = $1 AND state = 'running' AND claimed_by = $5",
      {id, now_ms, error_text, next_attempt_at_ms, options_.replica_id}, id);
}

result<void> postgres_database::bury_job(std::int64_t id, std::string_view error_text,
                                         std::int64_t now_ms) {
  return move_running(
      "UPDATE jobs SET state = 'dead', updated_at = $2, last_error = $3, lease_until = 0 "
      "WHERE id = $1 AND state = 'running' AND claimed_by = $4",
      {id, now_ms, error_text, options_.replica_id}, id);
}

result<std::int64_t> postgres_database::recover_running_jobs(std::int64_t now_ms) {
  return change(
      "UPDATE jobs SET state = 'queued', updated_at = $1, next_attempt_at = "
      "LEAST(next_attempt_at, $1), lease_until = 0 WHERE state = 'running' AND claimed_by = $2",
      {now_ms, options_.replica_id});
}

result<void> postgres_database::renew_leases(std::int64_t now_ms) {
  auto renewed =
      change("UPDATE jobs SET lease_until = $1 WHERE state = 'running' AND claimed_by = $2",
             {now_ms + options_.lease_ms, options_.replica_id});
  if (!renewed) return renewed.error();
  return {};
}

result<std::optional<std::int64_t>> postgres_database::next_job_due_ms() {
  auto rows = read(
      "SELECT MIN(t) FROM (SELECT j.next_attempt_at AS t FROM jobs j WHERE j.state = 'queued' "
      "AND (j.incident_id = '' OR NOT EXISTS (SELECT 1 FROM jobs e WHERE e.incident_id = "
      "j.incident_id AND e.id <> j.id AND (e.state = 'running' OR (e.state = 'queued' AND e.id "
      "< j.id)))) UNION ALL SELECT lease_until FROM jobs WHERE state = 'running' AND "
      "claimed_by <> $1) due",
      {options_.replica_id});
  if (!rows) return rows.error();
  if (rows->empty() || rows->is_null(0, 0)) return std::optional<std::int64_t>{};
  return std::optional<std::int64_t>{rows->int_at(0, 0)};
}

result<std::optional<job>> postgres_database::get_job(std::int64_t id) {
  auto rows = read("SELECT " WARROOM_PG_JOB_COLUMNS " FROM jobs WHERE id = $1", {id});
  if (!rows) return rows.error();
  auto jobs = read_jobs(*rows);
  if (jobs.empty()) return std::optional<job>{};
  return std::optional<job>{std::move(jobs.front())};
}

result<std::vector<job>> postgres_database::list_jobs(job_state state, int limit) {
  auto rows =
      read("SELECT " WARROOM_PG_JOB_COLUMNS " FROM jobs WHERE state = $1 ORDER BY id LIMIT $2",
           {to_string(state), limit});
  if (!rows) return rows.error();
  return read_jobs(*rows);
}

result<job_counts> postgres_database::count_jobs() {
  auto rows = read("SELECT state, COUNT(*) FROM jobs GROUP BY state", {});
  if (!rows) return rows.error();
  job_counts counts;
  // Indexed by job_state.
  constexpr std::int64_t job_counts::*fields[] = {&job_counts::queued, &job_counts::running,
                                                  &job_counts::done, &job_counts::dead};
  for (int r = 0; r < rows->size(); ++r)
    counts.*fields[static_cast<int>(parse_job_state(rows->text_at(r, 0)))] = rows->int_at(r, 1);
  return counts;
}

result<std::int64_t> postgres_database::prune_done_jobs(std::int64_t older_than_ms,
                                                        int batch_limit) {
  return change(
      "DELETE FROM jobs WHERE id IN (SELECT id FROM jobs WHERE state = 'done' AND updated_at < "
      "$1 ORDER BY id LIMIT $2)",
      {older_than_ms, batch_limit});
}

}  // namespace warroom::store
