// Loops that serve inbound connections beside the event loop (server.threads): each a
// single-threaded io_context on a thread of its own, kept running until stopped.
#pragma once

#include <cstddef>
#include <memory>
#include <vector>

#include <boost/asio/any_io_executor.hpp>

namespace warroom::net {

class serving_loops {
 public:
  explicit serving_loops(std::size_t count);
  ~serving_loops();  // stop()
  serving_loops(const serving_loops&) = delete;
  serving_loops& operator=(const serving_loops&) = delete;

  /// One executor per loop, for server::serve_on(); valid before start().
  std::vector<boost::asio::any_io_executor> executors() const;
  /// Runs each loop on a thread named warroom-serve with every signal blocked. Once.
  void start();
  /// Stops every loop and joins its thread; handlers still queued are dropped with the loops.
  /// Idempotent.
  void stop();
  std::size_t size() const { return loops_.size(); }

 private:
  struct loop;
  std::vector<std::unique_ptr<loop>> loops_;
};

}  // namespace warroom::net
