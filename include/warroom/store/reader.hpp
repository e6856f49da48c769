// reader: a second connection to the store on its own thread, for queries that scan (the /metrics
// gauges count every job and open war room). On the store thread such a count held back every
// commit queued behind it: 17 ms per 166,000 queued jobs, so an alert storm's backlog turned the
// 5-second gauge refresh into a 40-60 ms pause in the webhooks' answers. SQLite's WAL lets this
// connection read beside the writer; PostgreSQL serves it like any other client.
//
// Thread-safety: post(), stop() and the destructor may be called from any thread (not from a
// task).
// Tasks run on the reader's thread one at a time; they must only read, be quick to hand their
// result back to their own loop, and must not throw.
#pragma once

#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>

#include <warroom/store/database.hpp>

namespace warroom::store {

class reader {
 public:
  using task = std::function<void(database&)>;

  /// Starts the thread over `db`, an open connection of its own.
  explicit reader(std::unique_ptr<database> db);
  reader(const reader&) = delete;
  reader& operator=(const reader&) = delete;
  /// Stops (see stop()).
  ~reader();

  /// Queues `work`; false (and `work` dropped) once the reader is stopping.
  bool post(task work);

  /// Refuses new work, runs the tasks already queued, then joins. Idempotent.
  void stop();

 private:
  void run();

  std::unique_ptr<database> db_;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<task> tasks_;
  bool stopping_ = false;
  std::mutex stop_mutex_;
  std::thread thread_;
};

}  // namespace warroom::store
