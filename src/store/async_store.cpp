#include <algorithm>
#include <malloc.h>
#include <utility>

#include <warroom/store/async_store.hpp>
#include <warroom/util/background_thread.hpp>

namespace warroom::store {

result<std::unique_ptr<async_store>> async_store::open(store_options options, std::int64_t now_ms) {
  if (!options.postgres.url.empty()) {
    auto db = postgres_database::open(options.postgres);
    if (!db) return std::move(db).error();
    // Only this replica's own leftovers: another replica's running jobs may be alive.
    if (auto recovered = (*db)->recover_running_jobs(now_ms); !recovered) {
      return recovered.error();
    }
    auto scans = postgres_database::open(options.postgres);
    if (!scans) return std::move(scans).error();
    auto store = std::unique_ptr<async_store>(new async_store(
        std::move(*db), nullptr, std::make_unique<reader>(std::move(*scans)), options));
    if (options.on_remote_jobs) {
      store->listener_ =
          std::make_unique<pg_listener>(options.postgres.url, options.on_remote_jobs);
    }
    return store;
  }
  options.db.external_checkpoint = !options.db.read_only;
  auto db = sqlite_database::open(options.db);
  if (!db) return std::move(db).error();
  std::unique_ptr<checkpointer> wal_copier;
  std::unique_ptr<reader> scans;
  if (!options.db.read_only) {
    // One process owns the file, so whatever is still running was left by a process that died.
    if (auto recovered = (*db)->recover_running_jobs(now_ms); !recovered) {
      return recovered.error();
    }
    auto started = checkpointer::start(options.db.path);
    if (!started) return std::move(started).error();
    wal_copier = std::move(*started);
  }
  // An in-memory database has no second connection to it: scans then run on the store thread.
  if (!options.db.read_only && names_a_file(options.db.path)) {
    database_options read_options = options.db;
    read_options.read_only = true;
    read_options.external_checkpoint = false;
    read_options.cache_kib = 256;
    auto scanner = sqlite_database::open(read_options);
    if (!scanner) return std::move(scanner).error();
    scans = std::make_unique<reader>(std::move(*scanner));
  }
  return std::unique_ptr<async_store>(
      new async_store(std::move(*db), std::move(wal_copier), std::move(scans), options));
}

async_store::async_store(std::unique_ptr<database> db, std::unique_ptr<checkpointer> wal_copier,
                         std::unique_ptr<reader> scans, const store_options& options)
    : db_(std::move(db)),
      checkpointer_(std::move(wal_copier)),
      reader_(std::move(scans)),
      renew_every_(options.postgres.url.empty() ? 0 : options.postgres.lease_ms / 3),
      max_batch_(std::max<std::size_t>(options.max_batch, 1)),
      max_pending_(options.max_pending),
      checkpoint_frames_(std::max<std::int64_t>(options.checkpoint_frames, 1)),
      on_commit_(options.on_commit) {
  stats_.health = db_->health();
  next_renewal_ = std::chrono::steady_clock::now() + renew_every_;
  thread_ = util::background_thread("warroom-store", [this] { run(); });
}

async_store::~async_store() {
  stop();
}

void async_store::ingest(delivery d, ingest_callback done) {
  const char* refusal = "store is stopped";
  {
    std::lock_guard lock(mutex_);
    if (!stopping_ && ingests_.size() >= max_pending_) refusal = "store queue is full";
    if (!stopping_ && ingests_.size() < max_pending_) {
      ingests_.push_back(pending_ingest{std::move(d), std::move(done)});
      stats_.pending = ingests_.size();
      wake_.notify_one();
      return;
    }
  }
  done(make_error("unavailable", refusal));
}

void async_store::write(write_work work, write_callback done) {
  {
    std::lock_guard lock(mutex_);
    if (!stopping_) {
      writes_.push_back(pending_write{std::move(work), std::move(done)});
      wake_.notify_one();
      return;
    }
  }
  done(make_error("unavailable", "store is stopped"));
}

bool async_store::post(task work) {
  {
    std::lock_guard lock(mutex_);
    if (stopping_) return false;
    tasks_.push_back(std::move(work));
  }
  wake_.notify_one();
  return true;
}

bool async_store::read(task work) {
  return reader_ ? reader_->post(std::move(work)) : post(std::move(work));
}

void async_store::release_memory() {
  post([](database& db) {
    db.release_memory();
    malloc_trim(0);
  });
}

void async_store::prune(std::int64_t older_than_ms, int batch_limit,
                        std::function<void(result<std::int64_t>)> done) {
  prune_step(older_than_ms, batch_limit, 0, std::move(done));
}

void async_store::prune_step(std::int64_t older_than_ms, int batch_limit, std::int64_t total,
                             std::function<void(result<std::int64_t>)> done) {
  auto shared_done = std::make_shared<std::function<void(result<std::int64_t>)>>(std::move(done));
  const bool posted = post([=, this](database& db) {
    auto deliveries = db.prune_deliveries(older_than_ms, batch_limit);
    if (!deliveries) return (*shared_done)(std::move(deliveries).error());
    auto jobs = db.prune_done_jobs(older_than_ms, batch_limit);
    if (!jobs) return (*shared_done)(std::move(jobs).error());
    const std::int64_t deleted = total + *deliveries + *jobs;
    if (*deliveries < batch_limit && *jobs < batch_limit) return (*shared_done)(deleted);
    // Re-queueing behind the pending work lets ingest batches run between prune batches.
    prune_step(older_than_ms, batch_limit, deleted, std::move(*shared_done));
  });
  if (!posted) (*shared_done)(make_error("unavailable", "store is stopped"));
}

store_stats async_store::stats() const {
  std::lock_guard lock(mutex_);
  return stats_;
}

void async_store::stop() {
  std::lock_guard stop_lock(stop_mutex_);
  if (listener_) listener_->stop();
  if (reader_) reader_->stop();
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_one();
  if (thread_.joinable()) thread_.join();
}

void async_store::run() {
  std::vector<delivery> items;
  std::vector<ingest_callback> callbacks;
  std::vector<pending_write> writes;
  for (;;) {
    task work;
    {
      std::unique_lock lock(mutex_);
      const auto has_work = [&] {
        return stopping_ || !ingests_.empty() || !tasks_.empty() || !writes_.empty();
      };
      if (renew_every_.count() == 0) {
        wake_.wait(lock, has_work);
      } else if (!wake_.wait_until(lock, next_renewal_, has_work)) {
        lock.unlock();
        renew_leases_when_due();
        continue;
      }
      // stopping, and everything drained
      if (ingests_.empty() && tasks_.empty() && writes_.empty()) return;
      // Every write that queued while the last transaction ran joins the next one.
      const std::size_t w = std::min(writes_.size(), max_batch_);
      for (std::size_t i = 0; i < w; ++i) {
        writes.push_back(std::move(writes_.front()));
        writes_.pop_front();
      }
      const std::size_t n = std::min(ingests_.size(), max_batch_);
      for (std::size_t i = 0; i < n; ++i) {
        items.push_back(std::move(ingests_.front().item));
        callbacks.push_back(std::move(ingests_.front().done));
        ingests_.pop_front();
      }
      stats_.pending = ingests_.size();
      // One task per round: a burst of tasks must not hold back the next ingest batch.
      if (!tasks_.empty()) {
        work = std::move(tasks_.front());
        tasks_.pop_front();
      }
    }
    if (!items.empty()) commit(items, callbacks);
    if (!writes.empty()) commit_writes(writes);
    if (work) {
      work(*db_);
      after_write();
    }
    renew_leases_when_due();
  }
}

void async_store::renew_leases_when_due() {
  const auto now = std::chrono::steady_clock::now();
  if (renew_every_.count() == 0 || now < next_renewal_) return;
  next_renewal_ = now + renew_every_;
  const auto wall_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                           std::chrono::system_clock::now().time_since_epoch())
                           .count();
  // A failure (the database away) only shortens our hold; the next renewal tries again.
  (void)db_->renew_leases(wall_ms);
  std::lock_guard lock(mutex_);
  stats_.health = db_->health();
}

void async_store::commit(std::vector<delivery>& items, std::vector<ingest_callback>& callbacks) {
  const auto started = std::chrono::steady_clock::now();
  auto outcome = db_->ingest_batch(items);
  report_commit(transaction_kind::ingest, started);
  {
    std::lock_guard lock(mutex_);
    stats_.batches += 1;
    stats_.ingested += items.size();
    stats_.health = db_->health();
  }
  for (std::size_t i = 0; i < callbacks.size(); ++i) {
    if (outcome) {
      callbacks[i]((*outcome)[i]);
    } else {
      callbacks[i](outcome.error());
    }
  }
  items.clear();
  callbacks.clear();
  // Only after the callbacks: their answers must not wait for WAL housekeeping.
  after_write();
}

void async_store::commit_writes(std::vector<pending_write>& writes) {
  std::vector<result<void>> own(writes.size());
  const auto started = std::chrono::steady_clock::now();
  auto outcome = db_->write([&]() -> result<void> {
    for (std::size_t i = 0; i < writes.size(); ++i) {
      own[i] = db_->write([&] { return writes[i].work(*db_); });
      // A storage failure is the disk's, not this write's, and may have ended the transaction:
      // the whole group goes, so no caller is told "durable" about a half-written group.
      if (!own[i] && own[i].error().code == "unavailable") return own[i].error();
    }
    return {};
  });
  report_commit(transaction_kind::write, started);
  {
    std::lock_guard lock(mutex_);
    stats_.write_batches += 1;
    stats_.writes += writes.size();
  }
  for (std::size_t i = 0; i < writes.size(); ++i)
    writes[i].done(outcome ? std::move(own[i]) : result<void>(outcome.error()));
  writes.clear();
  after_write();
}

void async_store::report_commit(transaction_kind kind,
                                std::chrono::steady_clock::time_point started) const {
  if (!on_commit_) return;
  on_commit_(kind,
             std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count());
}

void async_store::after_write() {
  std::unique_lock lock(mutex_);
  stats_.health = db_->health();
  const bool idle = ingests_.empty();
  lock.unlock();
  const std::int64_t frames = db_->wal_frames();
  if (frames < requested_at_frames_) requested_at_frames_ = 0;  // the WAL restarted
  if (checkpointer_ == nullptr || frames < checkpoint_frames_) return;
  // Every checkpoint that copies anything syncs the WAL and then the database file, and our
  // commits' own syncs queue behind those. Woken after every commit past the bound, the
  // checkpointer copied a dozen frames at a time, about a thousand times a second under load; now
  // each wake-up has a bound's worth of new frames to copy.
  if (frames - requested_at_frames_ >= checkpoint_frames_) {
    checkpointer_->request();
    requested_at_frames_ = frames;
    lock.lock();
    stats_.checkpoint_requests += 1;
    lock.unlock();
  }
  // The WAL restarts only once everything in it is copied, which the checkpointer never reaches
  // while our commits follow each other closely. So the store thread copies the rest itself, when
  // nobody waits for it or, under sustained load, when the WAL reaches its bound.
  if ((idle && frames >= 4 * checkpoint_frames_) || frames >= 16 * checkpoint_frames_) {
    auto paused = checkpointer_->pause();
    // On failure the WAL only stays longer; a later write tries again.
    (void)db_->checkpoint();
  }
}

}  // namespace warroom::store
