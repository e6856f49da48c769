// async_store: the durable store as the runtime sees it. Owns a `database` and the one thread
// that touches it, so the event loop never waits on disk. Ingests are group-committed: the thread
// takes every pending delivery (up to `max_batch`) into one transaction, so concurrent webhooks
// share one fsync. Writes (pipeline checkpoints, war-room records, audit lines) are group-committed
// the same way, each in a savepoint of the shared transaction. With SQLite a second thread
// (checkpointer) copies the WAL into the database file so commits do not pay for that either.
// Scans run on a `reader` (a connection and thread of their own) for the same reason.
// With PostgreSQL the thread also renews this replica's job leases, and a listener thread wakes
// `on_remote_jobs` when another replica queues jobs.
//
// Thread-safety: ingest(), write(), post(), prune(), stats() and stop() may be called from any
// thread.
// Callbacks and tasks run on the store thread, one at a time: they must be quick (post results
// back to your own loop), must not throw, and must not call stop() or destroy the store.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include <warroom/store/checkpointer.hpp>
#include <warroom/store/database.hpp>
#include <warroom/store/pg_listener.hpp>
#include <warroom/store/postgres_database.hpp>
#include <warroom/store/reader.hpp>
#include <warroom/store/records.hpp>
#include <warroom/store/sqlite_database.hpp>
#include <warroom/util/result.hpp>

namespace warroom::store {

/// How long deliveries (and done jobs) are kept for dedupe: PagerDuty retries for 48 h.
inline constexpr std::int64_t default_retention_ms = 7LL * 24 * 60 * 60 * 1000;

/// What a transaction held, as told to `store_options::on_commit`.
enum class transaction_kind { ingest, write };

struct store_options {
  /// SQLite, unless `postgres.url` is set.
  database_options db;
  postgres_options postgres;
  /// PostgreSQL only: runs (on the listener's thread) when another replica queued jobs.
  std::function<void()> on_remote_jobs;
  /// Most deliveries committed in one transaction.
  std::size_t max_batch = 1024;
  /// Most deliveries waiting for the thread; beyond it ingest fails at once with `unavailable`.
  std::size_t max_pending = 65536;
  /// WAL pages that wake the checkpointer thread (and again for every as many more written since
  /// it was last woken). The store thread completes the checkpoint itself
  /// (so the WAL restarts) when idle past 4 times this, and at 16 times this in any case, so the
  /// WAL stays bounded even when the checkpointer never catches up.
  std::int64_t checkpoint_frames = 1000;
  /// Told, on the store thread, how long each transaction took from its start to its durable
  /// commit (or its failure). Every answer to a webhook waits for one, so a slow disk shows here
  /// first. Must be quick.
  std::function<void(transaction_kind, double seconds)> on_commit;
};

/// A snapshot for /readyz and /metrics.
struct store_stats {
  store_health health;
  std::uint64_t batches = 0;              // ingest transactions attempted
  std::uint64_t ingested = 0;             // deliveries in those transactions
  std::size_t pending = 0;                // deliveries waiting
  std::uint64_t write_batches = 0;        // write() transactions attempted
  std::uint64_t writes = 0;               // writes in those transactions
  std::uint64_t checkpoint_requests = 0;  // times the checkpointer thread was woken (SQLite)
};

class async_store {
 public:
  using ingest_callback = std::function<void(result<ingest_result>)>;
  using task = std::function<void(database&)>;
  using write_work = std::function<result<void>(database&)>;
  using write_callback = std::function<void(result<void>)>;

  /// Opens and migrates the database on the calling thread, puts the jobs a dead process left
  /// running back in the queue, then starts the store thread.
  static result<std::unique_ptr<async_store>> open(store_options options, std::int64_t now_ms);

  async_store(const async_store&) = delete;
  async_store& operator=(const async_store&) = delete;
  /// Stops (see stop()).
  ~async_store();

  /// Queues `d`; `done` runs on the store thread once the batch holding it has committed
  /// (accepted or duplicate), or with code `unavailable` when the commit failed and nothing of the
  /// batch was stored. After stop() or when the queue is full, `done` runs at once on the caller.
  void ingest(delivery d, ingest_callback done);

  /// Queues one write; `done` runs on the store thread once the transaction holding it has
  /// committed. Writes queued while a transaction runs share the next one (one fsync for all, up
  /// to `max_batch`). A write whose `work` fails is undone alone and told its error; a storage
  /// failure (code `unavailable`) or a failed commit undoes the whole group and fails every write
  /// in it. After stop(), `done` runs at once on the caller with `unavailable`.
  void write(write_work work, write_callback done);

  /// Runs `work` on the store thread, between ingest batches. False (and `work` dropped) after
  /// stop(). Use the functions of jobs.hpp and incidents.hpp inside.
  bool post(task work);

  /// Runs a read-only `work` (a count, a scan) on the reader's own connection and thread, so it
  /// never holds back a commit; on the store thread when there is no reader (a read-only store).
  /// Sees every transaction committed before it starts. False (and `work` dropped) after stop().
  bool read(task work);

  /// Between batches: the database gives its caches back, then the allocator returns free
  /// memory to the system (malloc_trim). For an idle daemon after a burst.
  void release_memory();

  /// Deletes deliveries and done jobs older than `older_than_ms`, `batch_limit` rows per
  /// transaction with ingest batches in between; `done` gets the number of rows deleted.
  void prune(std::int64_t older_than_ms, int batch_limit,
             std::function<void(result<std::int64_t>)> done);

  store_stats stats() const;

  /// Refuses new work, commits every queued ingest and runs every queued task, then joins the
  /// thread. Idempotent.
  void stop();

 private:
  struct pending_ingest {
    delivery item;
    ingest_callback done;
  };
  struct pending_write {
    write_work work;
    write_callback done;
  };

  async_store(std::unique_ptr<database> db, std::unique_ptr<checkpointer> wal_copier,
              std::unique_ptr<reader> scans, const store_options& options);
  void renew_leases_when_due();
  void run();
  void commit(std::vector<delivery>& items, std::vector<ingest_callback>& callbacks);
  void commit_writes(std::vector<pending_write>& writes);
  void after_write();
  void report_commit(transaction_kind kind, std::chrono::steady_clock::time_point started) const;
  void prune_step(std::int64_t older_than_ms, int batch_limit, std::int64_t total,
                  std::function<void(result<std::int64_t>)> done);

  std::unique_ptr<database> db_;
  std::unique_ptr<checkpointer> checkpointer_;   // null for a read-only store and PostgreSQL
  std::unique_ptr<pg_listener> listener_;        // PostgreSQL only
  std::unique_ptr<reader> reader_;               // null for a read-only store
  const std::chrono::milliseconds renew_every_;  // 0: no leases to renew
  std::chrono::steady_clock::time_point next_renewal_;
  const std::size_t max_batch_;
  const std::size_t max_pending_;
  const std::int64_t checkpoint_frames_;
  const std::function<void(transaction_kind, double)> on_commit_;
  // WAL length at the last checkpoint request (store thread only).
  std::int64_t requested_at_frames_ = 0;

  mutable std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<pending_ingest> ingests_;
  std::deque<task> tasks_;
  std::deque<pending_write> writes_;
  bool stopping_ = false;
  store_stats stats_;

  std::mutex stop_mutex_;
  std::thread thread_;
};

}  // namespace warroom::store
