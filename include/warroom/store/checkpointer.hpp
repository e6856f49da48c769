// checkpointer: copies the WAL back into the database file on its own thread and connection, so
// the store thread's commits never wait for that copy and its fsync. Owned by async_store.
// Thread-safe: request() and completed() may be called from any thread.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include <warroom/store/connection.hpp>
#include <warroom/util/result.hpp>

namespace warroom::store {

class checkpointer {
 public:
  /// Opens a second connection to the (already migrated, WAL) database and starts the thread.
  static result<std::unique_ptr<checkpointer>> start(const std::string& path);
  checkpointer(const checkpointer&) = delete;
  checkpointer& operator=(const checkpointer&) = delete;
  /// Finishes a checkpoint in progress, then joins.
  ~checkpointer();

  /// Asks for a passive checkpoint soon; requests made while one runs coalesce into one more.
  void request();
  /// Waits for a checkpoint in progress and holds further ones off while the lock lives, so the
  /// store thread can checkpoint itself (SQLite refuses two checkpoints at once).
  std::unique_lock<std::mutex> pause();
  /// How many checkpoints have run (successful or not).
  std::uint64_t completed() const;
  /// Waits until at least `count` checkpoints have run; false on timeout.
  bool wait_completed(std::uint64_t count, std::chrono::milliseconds timeout) const;

 private:
  explicit checkpointer(std::unique_ptr<connection> conn);
  void run();

  std::unique_ptr<connection> conn_;
  std::mutex running_;  // held while a checkpoint runs
  mutable std::mutex mutex_;
  std::condition_variable wake_;
  mutable std::condition_variable ran_;
  bool requested_ = false;
  bool stopping_ = false;
  std::uint64_t completed_ = 0;
  std::thread thread_;
};

}  // namespace warroom::store
