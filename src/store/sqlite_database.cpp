#include <algorithm>
#include <array>
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
#include <warroom/store/wal_write_buffer.hpp>

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
// writes the file, so inside our transaction the ids from there on are ours to give.
result<std::int64_t> next_job_id(connection& conn) {
  return conn.query_int(
      "SELECT MAX(COALESCE((SELECT seq FROM sqlite_sequence WHERE name = 'jobs'), 0), "
      "COALESCE((SELECT MAX(id) FROM jobs), 0)) + 1");
}

// A batch goes in as multi-row INSERTs: SQLite starts, steps and resets a statement and updates
// the AUTOINCREMENT counter once per statement, which with two statements per webhook was about
// a third of the store thread's instructions (callgrind). A few fixed chunk sizes keep the
// prepared statements few.
constexpr std::array<std::size_t, 6> chunk_sizes = {32, 16, 8, 4, 2, 1};

std::size_t chunk_at(std::size_t remaining) {
  for (const std::size_t size : chunk_sizes)
    if (size <= remaining) return size;
  return 1;
}

// The statement "<head> (<row>), (<row>), ... <tail>" for each chunk size, in `chunk_sizes` order.
using chunk_statements = std::array<std::string, chunk_sizes.size()>;

chunk_statements multi_row_sql(std::string_view head, std::string_view row, std::string_view tail) {
  chunk_statements all;
  for (std::size_t slot = 0; slot < chunk_sizes.size(); ++slot) {
    std::string& sql = all[slot];
    sql = head;
    for (std::size_t i = 0; i < chunk_sizes[slot]; ++i)
      (((sql += i == 0 ? " (" : ", (") += row) += ")");
    sql += tail;
  }
  return all;
}

const std::string& for_rows(const chunk_statements& all, std::size_t rows) {
  return all[static_cast<std::size_t>(std::ranges::find(chunk_sizes, rows) - chunk_sizes.begin())];
}

constexpr int delivery_columns = 5;

// The deliveries at `rows`, each with the job id it would own (`job_ids`, 0 for none). OR IGNORE
// drops those a stored delivery collides with (no two in `rows` collide: first_in_batch), and
// RETURNING names the rows kept.
result<void> insert_deliveries(connection& conn, std::span<const delivery> batch,
                               std::span<const std::int64_t> job_ids,
                               std::span<const std::size_t> rows, std::vector<bool>& kept) {
  static const chunk_statements sql = multi_row_sql(
      "INSERT OR IGNORE INTO deliveries (source, delivery_id, event_id, received_at, job_id) "
      "VALUES",
      "?, ?, ?, ?, ?", " RETURNING source, delivery_id");
  auto insert = conn.prepare(for_rows(sql, rows.size()));
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const delivery& d = batch[rows[i]];
    const int at = static_cast<int>(i) * delivery_columns;
    insert.bind_borrowed(at + 1, d.source)
        .bind_borrowed(at + 2, d.delivery_id)
        .bind_borrowed(at + 3, d.event_id)
        .bind(at + 4, d.received_at_ms);
    if (job_ids[rows[i]] != 0) {
      insert.bind(at + 5, job_ids[rows[i]]);
    } else {
      insert.bind_null(at + 5);
    }
  }
  return insert.each_row([&](const statement& row) {
    const auto source = row.text_view_at(0);
    const auto delivery_id = row.text_view_at(1);
    for (const std::size_t i : rows)
      if (batch[i].delivery_id == delivery_id && batch[i].source == source) kept[i] = true;
  });
}

constexpr int job_columns = 7;

// The jobs of the deliveries at `rows`, each under the id its delivery row already names.
result<void> insert_jobs(connection& conn, std::span<const delivery> batch,
                         std::span<const std::int64_t> job_ids, std::span<const std::size_t> rows) {
  static const chunk_statements sql = multi_row_sql(
      "INSERT INTO jobs (id, kind, incident_id, payload, state, next_attempt_at, created_at, "
      "updated_at) VALUES",
      "?, ?, ?, ?, 'queued', ?, ?, ?", "");
  auto insert = conn.prepare(for_rows(sql, rows.size()));
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const delivery& d = batch[rows[i]];
    const int at = static_cast<int>(i) * job_columns;
    insert.bind(at + 1, job_ids[rows[i]])
        .bind_borrowed(at + 2, d.job_kind)
        .bind_borrowed(at + 3, d.incident_id)
        .bind_borrowed(at + 4, d.payload)
        .bind(at + 5, d.received_at_ms)
        .bind(at + 6, d.received_at_ms)
        .bind(at + 7, d.received_at_ms);
  }
  return insert.run();
}

// Runs `insert` over `rows` in chunks of the sizes there are statements for.
template <class Insert>
result<void> in_chunks(std::span<const std::size_t> rows, Insert insert) {
  for (std::size_t first = 0; first < rows.size();) {
    const std::size_t size = chunk_at(rows.size() - first);
    if (auto inserted = insert(rows.subspan(first, size)); !inserted) return inserted;
    first += size;
  }
  return {};
}

// Every delivery that may own a job is given the next job id up front, in batch order; one a
// stored delivery turns out to duplicate leaves its id unused (ids still increase, so jobs run in
// arrival order). The delivery row names its job from its insert, with no UPDATE afterwards.
result<std::vector<ingest_result>> ingest_all(connection& conn, std::span<const delivery> batch) {
  const std::vector<std::size_t> fresh = first_in_batch(batch);
  std::vector<std::int64_t> job_ids(batch.size(), 0);
  if (std::ranges::any_of(fresh, [&](std::size_t i) { return !batch[i].job_kind.empty(); })) {
    auto next = next_job_id(conn);
    if (!next) return next.error();
    for (const std::size_t i : fresh)
      if (!batch[i].job_kind.empty()) job_ids[i] = (*next)++;
  }
  std::vector<bool> kept(batch.size(), false);
  if (auto inserted = in_chunks(fresh,
                                [&](std::span<const std::size_t> rows) {
                                  return insert_deliveries(conn, batch, job_ids, rows, kept);
                                });
      !inserted)
    return inserted.error();
  std::vector<ingest_result> results(batch.size(), ingest_result{ingest_status::duplicate, 0});
  std::vector<std::size_t> owners;
  for (const std::size_t i : fresh) {
    if (!kept[i]) continue;
    results[i] = ingest_result{ingest_status::accepted, job_ids[i]};
    if (job_ids[i] != 0) owners.push_back(i);
  }
  if (auto inserted = in_chunks(owners,
                                [&](std::span<const std::size_t> rows) {
                                  return insert_jobs(conn, batch, job_ids, rows);
                                });
      !inserted)
    return inserted.error();
  return results;
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
  // The writer's WAL frames go out in a few large writes, not two per frame.
  auto conn = connection::open(options.path, mode, options.busy_timeout_ms, !options.read_only);
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
  release_wal_buffer(conn_->handle());
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
  return write([&] { return ingest_all(*conn_, batch); });
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
