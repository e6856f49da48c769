#include <cstdio>  // renameat2
#include <fcntl.h>
#include <filesystem>
#include <optional>
#include <string>
#include <system_error>
#include <unistd.h>

#include <sqlite3.h>

#include <warroom/store/schema.hpp>
#include <warroom/store/sqlite_database.hpp>

namespace warroom::store {
namespace {

result<void> configure(connection& conn, const database_options& options) {
  if (options.cache_kib > 0) {
    if (auto sized =
            conn.exec(("PRAGMA cache_size = -" + std::to_string(options.cache_kib)).c_str());
        !sized) {
      return sized;
    }
  }
  if (options.read_only) return {};
  // WAL lets readers run beside the writer; FULL makes every commit durable before we answer 2xx.
  // 8 KiB pages (new files only) hold three 2 KiB job payloads where 4 KiB pages hold one: about a
  // third less written per delivery (measured with store_bench). Statement journals and sorts stay
  // in memory: on disk each was a new file in /var/tmp (the requeue at start made one).
  return conn.exec(
      "PRAGMA page_size = 8192; PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; "
      "PRAGMA temp_store = MEMORY;");
}

result<void> check_version(connection& conn) {
  auto version = conn.query_int("PRAGMA user_version");
  if (!version) return version.error();
  if (*version != schema_version()) {
    return make_error("unavailable", "read-only database is not at schema version " +
                                         std::to_string(schema_version()));
  }
  return {};
}

// The id the next job insert gets: AUTOINCREMENT hands out one more than the largest id the table
// ever had (sqlite_sequence), or than its largest row, whichever is larger. Only this connection
// writes the file, so inside our transaction the prediction holds.
result<std::int64_t> next_job_id(connection& conn) {
  return conn.query_int(
      "SELECT MAX(COALESCE((SELECT seq FROM sqlite_sequence WHERE name = 'jobs'), 0), "
      "COALESCE((SELECT MAX(id) FROM jobs), 0)) + 1");
}

// `next_job`: the id the next job will get, once known in this batch. The delivery row carries
// its job's id from the start, which saves an UPDATE per webhook; should the prediction ever miss,
// the UPDATE puts the right id there.
result<ingest_result> ingest_one(connection& conn, const delivery& d,
                                 std::optional<std::int64_t>& next_job) {
  const bool with_job = !d.job_kind.empty();
  if (with_job && !next_job) {
    auto predicted = next_job_id(conn);
    if (!predicted) return predicted.error();
    next_job = *predicted;
  }
  {
    auto insert = conn.prepare(
        "INSERT OR IGNORE INTO deliveries (source, delivery_id, event_id, received_at, job_id) "
        "VALUES (?1, ?2, ?3, ?4, ?5)");
    insert.bind(1, d.source).bind(2, d.delivery_id).bind(3, d.event_id).bind(4, d.received_at_ms);
    if (with_job) {
      insert.bind(5, *next_job);
    } else {
      insert.bind_null(5);
    }
    if (auto inserted = insert.run(); !inserted) return inserted.error();
  }
  // Both unique indexes funnel into this one IGNORE, including duplicates earlier in the batch.
  if (conn.changes() == 0) return ingest_result{ingest_status::duplicate, 0};
  if (!with_job) return ingest_result{ingest_status::accepted, 0};
  const std::int64_t delivery_row = conn.last_insert_rowid();
  auto job_id = insert_sqlite_job(conn, d.job_kind, d.incident_id, d.payload, d.received_at_ms,
                                  d.received_at_ms);
  if (!job_id) return job_id.error();
  if (*job_id != *next_job) {
    auto link = conn.prepare("UPDATE deliveries SET job_id = ?1 WHERE id = ?2");
    if (auto linked = link.bind(1, *job_id).bind(2, delivery_row).run(); !linked) {
      return linked.error();
    }
  }
  next_job = *job_id + 1;
  return ingest_result{ingest_status::accepted, *job_id};
}

void remove_database_files(const std::string& path) {
  std::error_code ignored;
  for (const char* suffix : {"", "-wal", "-shm", "-journal"})
    std::filesystem::remove(path + suffix, ignored);
}

result<void> sync_path(const std::string& path, int flags) {
  const int fd = ::open(path.c_str(), flags | O_CLOEXEC);
  if (fd < 0) return make_error("unavailable", "cannot open " + path + " to sync it");
  const bool synced = ::fsync(fd) == 0;
  ::close(fd);
  if (!synced) return make_error("unavailable", "cannot sync " + path);
  return {};
}

// A new database is built whole under a temporary name, with synchronous=OFF, then made durable
// and renamed into place: two syncs (the file, its directory) where building it in place took
// seven fdatasyncs (switching the new file to WAL, creating the WAL, the migrations' commit),
// which is most of a fresh start's time on a slow disk. A crash halfway leaves no half-made
// database, only the temporary file, which the next start removes.
result<void> create_database(const std::string& path) {
  const std::string building = path + ".creating";
  remove_database_files(building);
  const auto failed = [&](error e) -> result<void> {
    remove_database_files(building);
    return e;
  };
  {
    auto conn = connection::open(building, connection::mode::read_write_create, 0);
    if (!conn) return failed(conn.error());
    if (auto set = (*conn)->exec(
            "PRAGMA synchronous = OFF; PRAGMA page_size = 8192; PRAGMA journal_mode = WAL;");
        !set)
      return failed(set.error());
    if (auto migrated = migrate(**conn); !migrated) return failed(migrated.error());
  }  // the last connection's close copies the WAL into the file and deletes it
  if (std::filesystem::exists(building + "-wal"))
    return failed(make_error("unavailable", "cannot fold the new database's WAL into " + building));
  if (auto synced = sync_path(building, O_RDONLY); !synced) return failed(synced.error());
  // Never over a file that appeared meanwhile: that one is opened as it is.
  if (::renameat2(AT_FDCWD, building.c_str(), AT_FDCWD, path.c_str(), RENAME_NOREPLACE) != 0)
    return failed(make_error("unavailable", "cannot move " + building + " to " + path));
  const auto dir = std::filesystem::path(path).parent_path();
  return sync_path(dir.empty() ? std::string(".") : dir.string(), O_RDONLY | O_DIRECTORY);
}

}  // namespace

bool names_a_file(const std::string& path) {
  return !path.empty() && path != ":memory:" && path.rfind("file:", 0) != 0;
}

result<std::unique_ptr<sqlite_database>> sqlite_database::open(const database_options& options) {
  const auto mode =
      options.read_only ? connection::mode::read_only : connection::mode::read_write_create;
  // Should building aside fail, the file is made in place as before, and that open reports any
  // problem under the configured path.
  if (!options.read_only && names_a_file(options.path) && !std::filesystem::exists(options.path))
    (void)create_database(options.path);
  auto conn = connection::open(options.path, mode, options.busy_timeout_ms);
  if (!conn) return std::move(conn).error();
  if (auto configured = configure(**conn, options); !configured) {
    return configured.error();
  }
  auto schema = options.read_only ? check_version(**conn) : migrate(**conn);
  if (!schema) return schema.error();
  std::unique_ptr<sqlite_database> db(new sqlite_database(std::move(*conn)));
  // A WAL hook replaces SQLite's automatic checkpoint, which is itself such a hook.
  if (options.external_checkpoint) sqlite3_wal_hook(db->conn().handle(), &on_wal_commit, db.get());
  return db;
}

int sqlite_database::on_wal_commit(void* self, sqlite3*, const char*, int frames) {
  static_cast<sqlite_database*>(self)->wal_frames_ = frames;
  return SQLITE_OK;
}

void sqlite_database::release_memory() {
  sqlite3_db_release_memory(conn_->handle());
}

result<void> sqlite_database::checkpoint() {
  // RESTART waits (busy timeout) for a checkpoint running on another connection, copies every
  // frame and makes the next commit start the WAL from its beginning.
  if (sqlite3_wal_checkpoint_v2(conn_->handle(), nullptr, SQLITE_CHECKPOINT_RESTART, nullptr,
                                nullptr) != SQLITE_OK) {
    return storage_error(conn_->handle(), "checkpoint");
  }
  return {};
}

result<std::vector<ingest_result>> sqlite_database::ingest_batch(std::span<const delivery> batch) {
  return write([&]() -> result<std::vector<ingest_result>> {
    std::vector<ingest_result> results;
    results.reserve(batch.size());
    std::optional<std::int64_t> next_job;
    for (const auto& d : batch) {
      auto one = ingest_one(*conn_, d, next_job);
      if (!one) return std::move(one).error();
      results.push_back(*one);
    }
    return results;
  });
}

result<std::int64_t> sqlite_database::prune_deliveries(std::int64_t older_than_ms,
                                                       int batch_limit) {
  return write([&]() -> result<std::int64_t> {
    auto prune = conn_->prepare(
        "DELETE FROM deliveries WHERE id IN "
        "(SELECT id FROM deliveries WHERE received_at < ?1 ORDER BY received_at LIMIT ?2)");
    if (auto pruned = prune.bind(1, older_than_ms).bind(2, batch_limit).run(); !pruned) {
      return pruned.error();
    }
    return conn_->changes();
  });
}

result<void> sqlite_database::transact(const std::function<result<void>()>& body) {
  const bool nested = conn_->in_transaction();
  if (auto begun = nested ? conn_->exec("SAVEPOINT warroom_write") : begin(); !begun) return begun;
  auto outcome = body();
  const error* failure = outcome.has_value() ? nullptr : &outcome.error();
  auto ended = nested ? release(failure) : finish(failure);
  if (!ended) return ended;
  return outcome;
}

result<void> sqlite_database::begin() {
  changes_at_begin_ = sqlite3_total_changes64(conn_->handle());
  auto begun = conn_->exec("BEGIN IMMEDIATE");
  if (!begun) note_failure(begun.error());
  return begun;
}

result<void> sqlite_database::finish(const error* failure) {
  if (failure == nullptr) {
    auto committed = conn_->exec("COMMIT");
    if (!committed) {
      if (conn_->in_transaction()) (void)conn_->exec("ROLLBACK");
      note_failure(committed.error());
      return committed;
    }
    // Only a commit that wrote rows proves the disk takes writes again: an empty claim commits
    // without touching a page even while the disk is full.
    if (sqlite3_total_changes64(conn_->handle()) != changes_at_begin_) note_success();
    return {};
  }
  // SQLite may already have rolled back (e.g. SQLITE_FULL); the ROLLBACK result does not matter
  // because the failure we report is the original one.
  if (conn_->in_transaction()) (void)conn_->exec("ROLLBACK");
  note_failure(*failure);
  return *failure;
}

result<void> sqlite_database::release(const error* failure) {
  if (failure == nullptr) return conn_->exec("RELEASE warroom_write");
  // SQLite may have rolled the whole transaction back (SQLITE_FULL): then there is no savepoint
  // left, and the enclosing write sees the failure and gives up too.
  if (conn_->in_transaction()) {
    (void)conn_->exec("ROLLBACK TO warroom_write");
    (void)conn_->exec("RELEASE warroom_write");
  }
  note_failure(*failure);
  return *failure;
}

}  // namespace warroom::store
