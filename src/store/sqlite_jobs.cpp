#include <algorithm>
#include <string>

#include <warroom/store/connection.hpp>
#include <warroom/store/sqlite_database.hpp>

namespace warroom::store {
namespace {

#define WARROOM_JOB_COLUMNS                                                                    \
  "id, kind, incident_id, payload, state, attempts, next_attempt_at, last_error, created_at, " \
  "updated_at"

// A queued job `j` heads its incident when no other job of the incident is running and none with a
// lower id is still queued. Jobs without an incident never wait for each other.
#define WARROOM_JOB_IS_HEAD                                                                  \
  "(j.incident_id = '' OR NOT EXISTS (SELECT 1 FROM jobs e WHERE e.incident_id = "           \
  "j.incident_id AND e.id <> j.id AND (e.state = 'running' OR (e.state = 'queued' AND e.id " \
  "< j.id))))"

job read_job(const statement& row) {
  job j;
  j.id = row.int_at(0);
  j.kind = row.text_at(1);
  j.incident_id = row.text_at(2);
  j.payload = row.text_at(3);
  j.state = parse_job_state(row.text_at(4));
  j.attempts = static_cast<int>(row.int_at(5));
  j.next_attempt_at_ms = row.int_at(6);
  j.last_error = row.text_at(7);
  j.created_at_ms = row.int_at(8);
  j.updated_at_ms = row.int_at(9);
  return j;
}

result<std::vector<job>> read_jobs(statement& query) {
  std::vector<job> jobs;
  auto read = query.each_row([&](const statement& row) { jobs.push_back(read_job(row)); });
  if (!read) return read.error();
  return jobs;
}

// Moves a running job on; `bind` binds the statement's parameters from ?2 on (?1 is the id).
template <class Bind>
result<void> update_running(sqlite_database& db, std::int64_t id, const char* sql, Bind bind) {
  return db.write([&]() -> result<void> {
    auto update = db.conn().prepare(sql);
    bind(update.bind(1, id));
    if (auto ran = update.run(); !ran) return ran;
    if (db.conn().changes() == 0) {
      return make_error("not_found", "job " + std::to_string(id) + " is not running");
    }
    return {};
  });
}

result<std::int64_t> changed_rows(sqlite_database& db, const char* sql, std::int64_t a,
                                  std::int64_t b) {
  return db.write([&]() -> result<std::int64_t> {
    auto update = db.conn().prepare(sql);
    if (auto ran = update.bind(1, a).bind(2, b).run(); !ran) return ran.error();
    return db.conn().changes();
  });
}

}  // namespace

result<std::int64_t> insert_sqlite_job(connection& conn, std::string_view kind,
                                       std::string_view incident_id, std::string_view payload,
                                       std::int64_t due_ms, std::int64_t now_ms) {
  auto insert = conn.prepare(
      "INSERT INTO jobs (kind, incident_id, payload, state, next_attempt_at, created_at, "
      "updated_at) VALUES (?1, ?2, ?3, 'queued', ?4, ?5, ?5)");
  insert.bind(1, kind).bind(2, incident_id).bind(3, payload).bind(4, due_ms).bind(5, now_ms);
  if (auto inserted = insert.run(); !inserted) return inserted.error();
  return conn.last_insert_rowid();
}

result<bool> sqlite_database::schedule_jobs_once(std::string_view owner, std::string_view step,
                                                 const std::vector<job_spec>& jobs,
                                                 std::int64_t now_ms) {
  return write([&]() -> result<bool> {
    auto check = conn().prepare("SELECT 1 FROM steps WHERE owner = ?1 AND step = ?2");
    auto found = check.bind(1, owner).bind(2, step).step();
    if (!found) return found.error();
    if (*found) return false;
    for (const auto& j : jobs)
      if (auto id = insert_sqlite_job(conn(), j.kind, j.incident_id, j.payload, j.due_ms, now_ms);
          !id)
        return id.error();
    auto mark = conn().prepare(
        "INSERT INTO steps (owner, step, result, updated_at) VALUES (?1, ?2, '1', ?3)");
    if (auto ran = mark.bind(1, owner).bind(2, step).bind(3, now_ms).run(); !ran)
      return ran.error();
    return true;
  });
}

result<std::int64_t> sqlite_database::enqueue_job(std::string_view kind,
                                                  std::string_view incident_id,
                                                  std::string_view payload, std::int64_t now_ms) {
  return write(
      [&] { return insert_sqlite_job(conn(), kind, incident_id, payload, now_ms, now_ms); });
}

result<std::vector<job>> sqlite_database::claim_ready_jobs(std::int64_t now_ms, int limit) {
  return write([&]() -> result<std::vector<job>> {
    auto claim = conn().prepare(
        "UPDATE jobs SET state = 'running', attempts = attempts + 1, updated_at = ?1 "
        "WHERE id IN (SELECT j.id FROM jobs j INDEXED BY jobs_queued_by_id "
        "WHERE j.state = 'queued' AND "
        "j.next_attempt_at <= ?1 AND " WARROOM_JOB_IS_HEAD
        " ORDER BY j.id LIMIT ?2) "
        "RETURNING " WARROOM_JOB_COLUMNS);
    auto jobs = read_jobs(claim.bind(1, now_ms).bind(2, limit));
    if (jobs) std::ranges::sort(*jobs, {}, &job::id);
    return jobs;
  });
}

result<void> sqlite_database::complete_job(std::int64_t id, std::int64_t now_ms) {
  return update_running(
      *this, id,
      "UPDATE jobs SET state = 'done', updated_at = ?2 WHERE id = ?1 AND state = 'running'",
      [&](statement& s) { s.bind(2, now_ms); });
}

result<void> sqlite_database::retry_job(std::int64_t id, std::string_view error_text,
                                        std::int64_t next_attempt_at_ms, std::int64_t now_ms) {
  return update_running(
      *this, id,
      "UPDATE jobs SET state = 'queued', updated_at = ?2, last_error = ?3, "
      "next_attempt_at = ?4 WHERE id = ?1 AND state = 'running'",
      [&](statement& s) { s.bind(2, now_ms).bind(3, error_text).bind(4, next_attempt_at_ms); });
}

result<void> sqlite_database::bury_job(std::int64_t id, std::string_view error_text,
                                       std::int64_t now_ms) {
  return update_running(*this, id,
                        "UPDATE jobs SET state = 'dead', updated_at = ?2, last_error = ?3 "
                        "WHERE id = ?1 AND state = 'running'",
                        [&](statement& s) { s.bind(2, now_ms).bind(3, error_text); });
}

result<std::int64_t> sqlite_database::recover_running_jobs(std::int64_t now_ms) {
  // A recovered job is due at once: it was already due when it was claimed.
  return changed_rows(*this,
                      "UPDATE jobs SET state = 'queued', updated_at = ?1, next_attempt_at = "
                      "MIN(next_attempt_at, ?2) WHERE state = 'running'",
                      now_ms, now_ms);
}

result<std::optional<std::int64_t>> sqlite_database::next_job_due_ms() {
  auto query = conn().prepare(
      "SELECT j.next_attempt_at FROM jobs j WHERE j.state = 'queued' "
      "AND " WARROOM_JOB_IS_HEAD " ORDER BY j.next_attempt_at LIMIT 1");
  auto row = query.step();
  if (!row) return row.error();
  if (!*row) return std::optional<std::int64_t>{};
  return std::optional<std::int64_t>{query.int_at(0)};
}

result<std::optional<job>> sqlite_database::get_job(std::int64_t id) {
  auto query = conn().prepare("SELECT " WARROOM_JOB_COLUMNS " FROM jobs WHERE id = ?1");
  auto jobs = read_jobs(query.bind(1, id));
  if (!jobs) return jobs.error();
  if (jobs->empty()) return std::optional<job>{};
  return std::optional<job>{std::move(jobs->front())};
}

result<std::vector<job>> sqlite_database::list_jobs(job_state state, int limit) {
  auto query = conn().prepare("SELECT " WARROOM_JOB_COLUMNS
                              " FROM jobs WHERE state = ?1 ORDER BY id LIMIT ?2");
  return read_jobs(query.bind(1, std::string_view(to_string(state))).bind(2, limit));
}

result<job_counts> sqlite_database::count_jobs() {
  auto query = conn().prepare("SELECT state, COUNT(*) FROM jobs GROUP BY state");
  job_counts counts;
  // Indexed by job_state.
  constexpr std::int64_t job_counts::*fields[] = {&job_counts::queued, &job_counts::running,
                                                  &job_counts::done, &job_counts::dead};
  auto read = query.each_row([&](const statement& row) {
    counts.*fields[static_cast<int>(parse_job_state(row.text_at(0)))] = row.int_at(1);
  });
  if (!read) return read.error();
  return counts;
}

result<std::int64_t> sqlite_database::prune_done_jobs(std::int64_t older_than_ms, int batch_limit) {
  return changed_rows(*this,
                      "DELETE FROM jobs WHERE id IN (SELECT id FROM jobs WHERE state = 'done' AND "
                      "updated_at < ?1 ORDER BY id LIMIT ?2)",
                      older_than_ms, batch_limit);
}

}  // namespace warroom::store
