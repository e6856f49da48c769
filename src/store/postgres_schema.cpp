#include <array>
#include <string>

#include <warroom/store/postgres_database.hpp>

namespace warroom::store {
namespace {

// Index i holds migration i + 1. Append new migrations, never edit an old one. Times are
// milliseconds since the Unix epoch, as in the SQLite schema; the tables mirror it, plus the
// lease columns that only several replicas need.
constexpr std::array migrations = {
    R"sql(
CREATE TABLE deliveries (
  id BIGSERIAL PRIMARY KEY,
  source TEXT NOT NULL,
  delivery_id TEXT NOT NULL,
  event_id TEXT NOT NULL DEFAULT '',
  received_at BIGINT NOT NULL,
  job_id BIGINT
);
CREATE UNIQUE INDEX deliveries_by_delivery ON deliveries (source, delivery_id);
CREATE UNIQUE INDEX deliveries_by_event ON deliveries (source, event_id) WHERE event_id <> '';
CREATE INDEX deliveries_by_time ON deliveries (received_at);

CREATE TABLE incidents (
  id TEXT PRIMARY KEY,
  number BIGINT NOT NULL DEFAULT 0,
  title TEXT NOT NULL DEFAULT '',
  status TEXT NOT NULL DEFAULT '',
  channel_id TEXT NOT NULL DEFAULT '',
  channel_name TEXT NOT NULL DEFAULT '',
  post_id TEXT NOT NULL DEFAULT '',
  jira_key TEXT NOT NULL DEFAULT '',
  card_generation BIGINT NOT NULL DEFAULT 0,
  created_at BIGINT NOT NULL DEFAULT 0,
  acked_at BIGINT NOT NULL DEFAULT 0,
  resolved_at BIGINT NOT NULL DEFAULT 0,
  extra TEXT NOT NULL DEFAULT '{}',
  updated_at BIGINT NOT NULL
);
CREATE INDEX incidents_by_update ON incidents (updated_at);
CREATE INDEX incidents_by_channel ON incidents (channel_id, updated_at);

CREATE TABLE jobs (
  id BIGSERIAL PRIMARY KEY,
  kind TEXT NOT NULL,
  incident_id TEXT NOT NULL DEFAULT '',
  payload TEXT NOT NULL DEFAULT '',
  state TEXT NOT NULL CHECK (state IN ('queued', 'running', 'done', 'dead')),
  attempts INTEGER NOT NULL DEFAULT 0,
  next_attempt_at BIGINT NOT NULL,
  last_error TEXT NOT NULL DEFAULT '',
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  claimed_by TEXT NOT NULL DEFAULT '',
  lease_until BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX jobs_queued_by_id ON jobs (id) WHERE state = 'queued';
CREATE INDEX jobs_running_by_lease ON jobs (lease_until) WHERE state = 'running';
CREATE INDEX jobs_by_incident ON jobs (incident_id, state, id);
CREATE INDEX jobs_done_by_update ON jobs (updated_at) WHERE state = 'done';

CREATE TABLE steps (
  owner TEXT NOT NULL,
  step TEXT NOT NULL,
  result TEXT NOT NULL,
  updated_at BIGINT NOT NULL,
  PRIMARY KEY (owner, step)
);

CREATE TABLE audit (
  id BIGSERIAL PRIMARY KEY,
  at BIGINT NOT NULL,
  incident_id TEXT NOT NULL,
  actor TEXT NOT NULL,
  action TEXT NOT NULL,
  source TEXT NOT NULL,
  detail TEXT NOT NULL
);
CREATE INDEX audit_by_incident ON audit (incident_id, id);
)sql",
    // 2: open war rooms by status, as SQLite's migration 5.
    R"sql(
CREATE INDEX incidents_open_by_status ON incidents (status)
  WHERE status IN ('triggered', 'acknowledged');
)sql",
};

// pg_advisory_lock keys: "warroom" in ASCII, then the purpose.
constexpr const char* migrate_lock = "SELECT pg_advisory_lock(7797353787372909)";
constexpr const char* migrate_unlock = "SELECT pg_advisory_unlock(7797353787372909)";

result<void> apply_missing(pg_connection& conn) {
  if (auto made = conn.exec("CREATE TABLE IF NOT EXISTS warroom_schema (version BIGINT NOT NULL)");
      !made)
    return made;
  auto current = conn.run("SELECT COALESCE(MAX(version), 0) FROM warroom_schema");
  if (!current) return current.error();
  const std::int64_t version = current->int_at(0, 0);
  if (version > postgres_schema_version()) {
    return make_error("unavailable", "database schema version " + std::to_string(version) +
                                         " is newer than this warroom (" +
                                         std::to_string(postgres_schema_version()) + ")");
  }
  for (std::int64_t next = version + 1; next <= postgres_schema_version(); ++next) {
    result<void> applied = conn.exec("BEGIN");
    if (applied) applied = conn.exec(migrations[static_cast<std::size_t>(next - 1)]);
    if (applied) {
      auto recorded = conn.run("INSERT INTO warroom_schema (version) VALUES ($1)", {next});
      if (!recorded) applied = recorded.error();
    }
    if (applied) applied = conn.exec("COMMIT");
    if (!applied) {
      if (conn.in_transaction()) (void)conn.exec("ROLLBACK");
      return make_error("unavailable", "migration " + std::to_string(next) +
                                           " failed: " + applied.error().message);
    }
  }
  return {};
}

}  // namespace

std::int64_t postgres_schema_version() noexcept {
  return static_cast<std::int64_t>(migrations.size());
}

result<void> migrate_postgres(pg_connection& conn) {
  // Replicas starting together queue on the lock; the first migrates, the others find it done.
  if (auto locked = conn.exec(migrate_lock); !locked) return locked;
  auto applied = apply_missing(conn);
  (void)conn.exec(migrate_unlock);  // also released when the session ends
  return applied;
}

}  // namespace warroom::store
