#include <csignal>
#include <pthread.h>
#include <string>

#include <gtest/gtest.h>

#include <warroom/util/background_thread.hpp>

#include "support/signal_mask.hpp"

namespace {

using warroom::test::blocked_here;
using warroom::test::unblocked_signals;

TEST(BackgroundThread, BlocksEverySignalTheDaemonWaitsFor) {
  const unblocked_signals known_mask;
  bool term = false, interrupt = false, hangup = false;
  auto thread = warroom::util::background_thread("test-signals", [&] {
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
  const unblocked_signals known_mask;
  auto thread = warroom::util::background_thread("test-mask", [] {});
  thread.join();
  EXPECT_FALSE(blocked_here(SIGTERM));
  EXPECT_FALSE(blocked_here(SIGHUP));
}

TEST(BackgroundThread, IsNamedForTopAndPsCutToFifteenBytes) {
  std::string seen(32, '\0');
  auto thread = warroom::util::background_thread("warroom-a-name-too-long", [&seen] {
    ::pthread_getname_np(::pthread_self(), seen.data(), seen.size());
  });
  thread.join();
  EXPECT_EQ(seen.c_str(), std::string("warroom-a-name-"));
}

}  // namespace
