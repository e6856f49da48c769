#include <array>
#include <string>

#include <warroom/store/connection.hpp>
#include <warroom/store/schema.hpp>

namespace warroom::store {
namespace {

// Index i holds migration i + 1. Times are milliseconds since the Unix epoch.
constexpr std::array migrations = {
    R"sql(
CREATE TABLE deliveries (
  id INTEGER PRIMARY KEY,
  source TEXT NOT NULL,
  delivery_id TEXT NOT NULL,
  event_id TEXT NOT NULL DEFAULT '',
  received_at INTEGER NOT NULL,
  job_id INTEGER
);
CREATE UNIQUE INDEX deliveries_by_delivery ON deliveries (source, delivery_id);
CREATE UNIQUE INDEX deliveries_by_event ON deliveries (source, event_id) WHERE event_id <> '';
CREATE INDEX deliveries_by_time ON deliveries (received_at);

CREATE TABLE incidents (
  id TEXT PRIMARY KEY,
  number INTEGER NOT NULL DEFAULT 0,
  title TEXT NOT NULL DEFAULT '',
  status TEXT NOT NULL DEFAULT '',
  channel_id TEXT NOT NULL DEFAULT '',
  channel_name TEXT NOT NULL DEFAULT '',
  post_id TEXT NOT NULL DEFAULT '',
  jira_key TEXT NOT NULL DEFAULT '',
  card_generation INTEGER NOT NULL DEFAULT 0,
  created_at INTEGER NOT NULL DEFAULT 0,
  acked_at INTEGER NOT NULL DEFAULT 0,
  resolved_at INTEGER NOT NULL DEFAULT 0,
  extra TEXT NOT NULL DEFAULT '{}',
  updated_at INTEGER NOT NULL
);
CREATE INDEX incidents_by_update ON incidents (updated_at);

CREATE TABLE jobs (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  kind TEXT NOT NULL,
  incident_id TEXT NOT NULL DEFAULT '',
  payload TEXT NOT NULL DEFAULT '',
  state TEXT NOT NULL CHECK (state IN ('queued', 'running', 'done', 'dead')),
  attempts INTEGER NOT NULL DEFAULT 0,
  next_attempt_at INTEGER NOT NULL,
  last_error TEXT NOT NULL DEFAULT '',
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE INDEX jobs_by_state ON jobs (state, next_attempt_at);
CREATE INDEX jobs_by_incident ON jobs (incident_id, state, id);

CREATE TABLE steps (
  owner TEXT NOT NULL,
  step TEXT NOT NULL,
  result TEXT NOT NULL,
  updated_at INTEGER NOT NULL,
  PRIMARY KEY (owner, step)
) WITHOUT ROWID;

CREATE TABLE audit (
  id INTEGER PRIMARY KEY,
  at INTEGER NOT NULL,
  incident_id TEXT NOT NULL,
  actor TEXT NOT NULL,
  action TEXT NOT NULL,
  source TEXT NOT NULL,
  detail TEXT NOT NULL
);
CREATE INDEX audit_by_incident ON audit (incident_id, id);
)sql",
    // 2: queued jobs in id order, so a claim reads the first due heads and stops at its LIMIT
    // instead of sorting every due job (done jobs and a long backlog made claims O(n)).
    R"sql(
CREATE INDEX jobs_queued_by_id ON jobs (id) WHERE state = 'queued';
)sql",
    // 3: every slash command finds its war room by channel; without an index that is a scan of
    // every incident ever opened, on the store thread every webhook waits on.
    R"sql(
CREATE INDEX incidents_by_channel ON incidents (channel_id, updated_at);
)sql",
    // 4: the state CHECK as equalities. SQLite builds an ephemeral index for a 4-value IN list on
    // every INSERT into jobs and every UPDATE of a job's state (callgrind: about 9,000
    // instructions each, once per webhook at intake and twice more per job); OR-ed equalities
    // say the same with four comparisons. A CHECK cannot be altered, so the table is rebuilt
    // (SQLite's documented procedure), keeping every row, id and the AUTOINCREMENT counter: a job
    // id pruned away is still never handed out again.
    R"sql(
CREATE TABLE jobs_v4 (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  kind TEXT NOT NULL,
  incident_id TEXT NOT NULL DEFAULT '',
  payload TEXT NOT NULL DEFAULT '',
  state TEXT NOT NULL
    CHECK (state = 'queued' OR state = 'running' OR state = 'done' OR state = 'dead'),
  attempts INTEGER NOT NULL DEFAULT 0,
  next_attempt_at INTEGER NOT NULL,
  last_error TEXT NOT NULL DEFAULT '',
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
INSERT INTO jobs_v4 (id, kind, incident_id, payload, state, attempts, next_attempt_at,
                     last_error, created_at, updated_at)
  SELECT id, kind, incident_id, payload, state, attempts, next_attempt_at, last_error,
         created_at, updated_at FROM jobs;
DELETE FROM sqlite_sequence WHERE name = 'jobs_v4';
INSERT INTO sqlite_sequence (name, seq)
  SELECT 'jobs_v4', seq FROM sqlite_sequence WHERE name = 'jobs';
DROP TABLE jobs;
ALTER TABLE jobs_v4 RENAME TO jobs;
CREATE INDEX jobs_by_state ON jobs (state, next_attempt_at);
CREATE INDEX jobs_by_incident ON jobs (incident_id, state, id);
CREATE INDEX jobs_queued_by_id ON jobs (id) WHERE state = 'queued';
)sql",
    // 5: open war rooms by status, for the gauge that counts them every few seconds on the store
    // thread: resolved ones stay for good, and counting them all was a scan of the whole table.
    R"sql(
CREATE INDEX incidents_open_by_status ON incidents (status)
  WHERE status = 'triggered' OR status = 'acknowledged';
)sql",
};

// Every migration from the file's version up to ours, in one transaction: one commit (and one
// fsync) for a new file instead of one per migration, and all or nothing.
result<void> apply_pending(connection& conn, std::int64_t target) {
  if (auto begun = conn.exec("BEGIN IMMEDIATE"); !begun) return begun;
  // Another process may have migrated between our read of user_version and our write lock.
  auto current = conn.query_int("PRAGMA user_version");
  if (current && *current >= target) return conn.exec("COMMIT");
  result<void> applied = current ? result<void>() : result<void>(current.error());
  for (std::int64_t version = current ? *current + 1 : target; applied && version <= target;
       ++version)
    applied = conn.exec(migrations[static_cast<std::size_t>(version - 1)]);
  if (applied) {
    // PRAGMA takes no parameters; the version is our own integer.
    const std::string pragma = "PRAGMA user_version = " + std::to_string(target);
    applied = conn.exec(pragma.c_str());
  }
  if (applied) applied = conn.exec("COMMIT");
  if (!applied && conn.in_transaction()) (void)conn.exec("ROLLBACK");
  return applied;
}

}  // namespace

std::int64_t schema_version() noexcept {
  return static_cast<std::int64_t>(migrations.size());
}

result<void> migrate(connection& conn) {
  auto current = conn.query_int("PRAGMA user_version");
  if (!current) return current.error();
  if (*current > schema_version()) {
    return make_error("unavailable", "database schema version " + std::to_string(*current) +
                                         " is newer than this warroom (" +
                                         std::to_string(schema_version()) + ")");
  }
  if (*current == schema_version()) return {};
  return apply_pending(conn, schema_version());
}

}  // namespace warroom::store
