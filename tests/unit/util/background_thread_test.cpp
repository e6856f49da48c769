#include <csignal>
#include <pthread.h>

#include <gtest/gtest.h>

#include <warroom/util/background_thread.hpp>

namespace {

bool blocked_here(int signal) {
  sigset_t mask;
  ::pthread_sigmask(SIG_BLOCK, nullptr, &mask);
  return ::sigismember(&mask, signal) == 1;
}

TEST(BackgroundThread, BlocksEverySignalTheDaemonWaitsFor) {
  bool term = false, interrupt = false, hangup = false;
  auto thread = warroom::util::background_thread([&] {
    term = blocked_here(SIGTERM);
    interrupt = blocked_here(SIGINT);
    hangup = blocked_here(SIGHUP);
  });
  thread.join();
  EXPECT_TRUE(term);
  EXPECT_TRUE(interrupt);
  EXPECT_TRUE(hangup);
}

TEST(BackgroundThread, LeavesTheStartingThreadsMaskAsItWas) {
  ASSERT_FALSE(blocked_here(SIGTERM));
  auto thread = warroom::util::background_thread([] {});
  thread.join();
  EXPECT_FALSE(blocked_here(SIGTERM));
  EXPECT_FALSE(blocked_here(SIGHUP));
}

}  // namespace
