#include <atomic>
#include <chrono>
#include <future>
#include <memory>
#include <pthread.h>
#include <set>
#include <string>
#include <thread>

#include <boost/asio/post.hpp>
#include <gtest/gtest.h>

#include <warroom/net/serving_loops.hpp>

namespace warroom::net {
namespace {

namespace asio = boost::asio;
using namespace std::chrono_literals;

std::string this_thread_name() {
  std::string name(32, '\0');
  ::pthread_getname_np(::pthread_self(), name.data(), name.size());
  return name.c_str();
}

TEST(ServingLoops, EachLoopRunsOnANamedThreadOfItsOwn) {
  serving_loops loops(2);
  const auto executors = loops.executors();
  ASSERT_EQ(executors.size(), 2u);
  loops.start();
  std::set<std::thread::id> threads;
  for (const auto& executor : executors) {
    // Shared: the handler may still be inside set_value when the wait below returns.
    auto ran = std::make_shared<std::promise<std::pair<std::thread::id, std::string>>>();
    auto future = ran->get_future();
    asio::post(executor, [ran] {
      ran->set_value({std::this_thread::get_id(), this_thread_name()});
    });
    ASSERT_EQ(future.wait_for(5s), std::future_status::ready);
    const auto [id, name] = future.get();
    EXPECT_NE(id, std::this_thread::get_id());
    EXPECT_EQ(name, "warroom-serve");
    threads.insert(id);
  }
  EXPECT_EQ(threads.size(), 2u);
}

TEST(ServingLoops, AnIdleLoopKeepsRunningUntilStopped) {
  serving_loops loops(1);
  loops.start();
  // Without its work guard the loop's run() would return once this first handler left it idle.
  for (int round = 0; round < 2; ++round) {
    auto ran = std::make_shared<std::promise<void>>();
    auto future = ran->get_future();
    asio::post(loops.executors().front(), [ran] { ran->set_value(); });
    EXPECT_EQ(future.wait_for(5s), std::future_status::ready) << "round " << round;
  }
  loops.stop();
  loops.stop();  // idempotent
}

TEST(ServingLoops, StopDropsWhatIsStillQueued) {
  std::atomic<int> ran{0};
  {
    serving_loops loops(1);  // never started: nothing runs the queue
    asio::post(loops.executors().front(), [&ran] { ++ran; });
    loops.stop();
  }
  EXPECT_EQ(ran.load(), 0);
}

TEST(ServingLoops, NoneIsNoThreadAndNoExecutor) {
  serving_loops loops(0);
  loops.start();
  EXPECT_TRUE(loops.executors().empty());
  EXPECT_EQ(loops.size(), 0u);
}

}  // namespace
}  // namespace warroom::net
