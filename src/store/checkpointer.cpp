#include <utility>

#include <sqlite3.h>

#include <warroom/store/checkpointer.hpp>
#include <warroom/util/background_thread.hpp>

namespace warroom::store {

result<std::unique_ptr<checkpointer>> checkpointer::start(const std::string& path) {
  auto conn = connection::open(path, connection::mode::read_write_create, 0);
  if (!conn) return std::move(conn).error();
  // The checkpoint fsyncs the WAL before copying and the database file after, as FULL requires.
  if (auto configured = (*conn)->exec(
          // Copying WAL frames needs no page cache; the default 2 MiB would stay resident.
          "PRAGMA synchronous = FULL; PRAGMA cache_size = -128");
      !configured) {
    return configured.error();
  }
  return std::unique_ptr<checkpointer>(new checkpointer(std::move(*conn)));
}

checkpointer::checkpointer(std::unique_ptr<connection> conn) : conn_(std::move(conn)) {
  thread_ = util::background_thread("warroom-ckpt", [this] { run(); });
}

checkpointer::~checkpointer() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_one();
  thread_.join();
}

void checkpointer::request() {
  {
    std::lock_guard lock(mutex_);
    requested_ = true;
  }
  wake_.notify_one();
}

std::uint64_t checkpointer::completed() const {
  std::lock_guard lock(mutex_);
  return completed_;
}

std::unique_lock<std::mutex> checkpointer::pause() {
  return std::unique_lock(running_);
}

bool checkpointer::wait_completed(std::uint64_t count, std::chrono::milliseconds timeout) const {
  std::unique_lock lock(mutex_);
  return ran_.wait_for(lock, timeout, [&] { return completed_ >= count; });
}

void checkpointer::run() {
  std::unique_lock lock(mutex_);
  for (;;) {
    wake_.wait(lock, [&] { return requested_ || stopping_; });
    if (stopping_) return;
    requested_ = false;
    lock.unlock();
    // A passive checkpoint never blocks the writer. Its failure (busy, I/O) only leaves the WAL
    // longer; the store thread checkpoints itself when the WAL grows past its bound.
    {
      std::lock_guard running(running_);
      (void)sqlite3_wal_checkpoint_v2(conn_->handle(), nullptr, SQLITE_CHECKPOINT_PASSIVE, nullptr,
                                      nullptr);
    }
    lock.lock();
    ++completed_;
    ran_.notify_all();
  }
}

}  // namespace warroom::store
