#include <thread>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>

#include <warroom/net/serving_loops.hpp>
#include <warroom/util/background_thread.hpp>

namespace warroom::net {
namespace asio = boost::asio;

struct serving_loops::loop {
  asio::io_context io{1};
  // Kept running while idle: connections arrive from the acceptor on another thread.
  asio::executor_work_guard<asio::io_context::executor_type> keep = asio::make_work_guard(io);
  std::thread thread;
};

serving_loops::serving_loops(std::size_t count) {
  for (std::size_t i = 0; i < count; ++i)
    loops_.push_back(std::make_unique<loop>());
}

serving_loops::~serving_loops() {
  stop();
}

std::vector<asio::any_io_executor> serving_loops::executors() const {
  std::vector<asio::any_io_executor> out;
  for (const auto& l : loops_)
    out.push_back(l->io.get_executor());
  return out;
}

void serving_loops::start() {
  for (auto& l : loops_)
    if (!l->thread.joinable())
      l->thread = util::background_thread("warroom-serve", [&io = l->io] { io.run(); });
}

void serving_loops::stop() {
  for (auto& l : loops_) {
    l->io.stop();
    if (l->thread.joinable()) l->thread.join();
  }
}

}  // namespace warroom::net
