#include <csignal>
#include <poll.h>
#include <pthread.h>
#include <sys/signalfd.h>
#include <thread>
#include <unistd.h>

#include <gtest/gtest.h>

#include <warroom/runtime/process_signals.hpp>

#include "support/signal_mask.hpp"

namespace {

using warroom::runtime::block_daemon_signals;
using warroom::runtime::open_daemon_signal_fd;
using warroom::test::blocked_here;
using warroom::test::unblocked_signals;

bool blocked_in(const sigset_t& mask, int signal) {
  return ::sigismember(&mask, signal) == 1;
}

sigset_t current_mask() {
  sigset_t mask;
  ::pthread_sigmask(SIG_BLOCK, nullptr, &mask);
  return mask;
}

// Reads one signal from the fd, waiting up to `wait_ms`; 0 when none came.
int read_signal(int fd, int wait_ms = 2000) {
  pollfd p{fd, POLLIN, 0};
  if (::poll(&p, 1, wait_ms) != 1) return 0;
  signalfd_siginfo info{};
  if (::read(fd, &info, sizeof info) != static_cast<ssize_t>(sizeof info)) return 0;
  return static_cast<int>(info.ssi_signo);
}

TEST(ProcessSignals, BlockingCoversStopAndReloadAndReturnsTheOldMask) {
  const unblocked_signals known_mask;
  const sigset_t previous = block_daemon_signals();
  const sigset_t now = current_mask();
  EXPECT_TRUE(blocked_in(now, SIGTERM));
  EXPECT_TRUE(blocked_in(now, SIGINT));
  EXPECT_TRUE(blocked_in(now, SIGHUP));
  EXPECT_FALSE(blocked_in(now, SIGUSR1));
  EXPECT_FALSE(blocked_in(previous, SIGTERM));
  ::pthread_sigmask(SIG_SETMASK, &previous, nullptr);
  EXPECT_FALSE(blocked_here(SIGTERM));
}

// The point of the design: a signal sent to the process while blocked is not lost, and not
// acted on by default (which would end the test binary), but waits to be read.
TEST(ProcessSignals, ASignalSentBeforeAnyoneReadsWaitsForTheRead) {
  const unblocked_signals known_mask;
  const sigset_t previous = block_daemon_signals();
  const int fd = open_daemon_signal_fd();
  ASSERT_GE(fd, 0);
  ASSERT_EQ(::pthread_kill(::pthread_self(), SIGHUP), 0);
  ASSERT_EQ(::pthread_kill(::pthread_self(), SIGTERM), 0);
  int first = read_signal(fd);
  int second = read_signal(fd);
  if (first > second) std::swap(first, second);
  EXPECT_EQ(first, SIGHUP);
  EXPECT_EQ(second, SIGTERM);
  EXPECT_EQ(read_signal(fd, 0), 0);  // each was read once
  ::close(fd);
  ::pthread_sigmask(SIG_SETMASK, &previous, nullptr);
}

TEST(ProcessSignals, ThreadsStartedAfterTheBlockInheritIt) {
  const unblocked_signals known_mask;
  const sigset_t previous = block_daemon_signals();
  bool term_blocked = false;
  std::thread([&] { term_blocked = blocked_here(SIGTERM); }).join();
  ::pthread_sigmask(SIG_SETMASK, &previous, nullptr);
  EXPECT_TRUE(term_blocked);
}

}  // namespace
