#include <utility>

#include <warroom/store/reader.hpp>
#include <warroom/util/background_thread.hpp>

namespace warroom::store {

reader::reader(std::unique_ptr<database> db) : db_(std::move(db)) {
  thread_ = util::background_thread("warroom-reader", [this] { run(); });
}

reader::~reader() {
  stop();
}

void reader::stop() {
  std::lock_guard stop_lock(stop_mutex_);
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_one();
  if (thread_.joinable()) thread_.join();
}

bool reader::post(task work) {
  {
    std::lock_guard lock(mutex_);
    if (stopping_) return false;
    tasks_.push_back(std::move(work));
  }
  wake_.notify_one();
  return true;
}

void reader::run() {
  for (;;) {
    task work;
    {
      std::unique_lock lock(mutex_);
      wake_.wait(lock, [&] { return stopping_ || !tasks_.empty(); });
      if (tasks_.empty()) return;  // stopping, and everything ran
      work = std::move(tasks_.front());
      tasks_.pop_front();
    }
    work(*db_);
    // A scan leaves pages in this connection's cache that nothing reads until the next refresh.
    db_->release_memory();
  }
}

}  // namespace warroom::store
