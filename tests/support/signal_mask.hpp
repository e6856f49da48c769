// Test helpers for the calling thread's signal mask.
#pragma once

#include <csignal>
#include <pthread.h>

namespace warroom::test {

/// True if `signal` is blocked in the calling thread.
inline bool blocked_here(int signal) {
  sigset_t mask;
  ::pthread_sigmask(SIG_BLOCK, nullptr, &mask);
  return ::sigismember(&mask, signal) == 1;
}

/// Unblocks every signal in the calling thread for its lifetime, then restores the mask: a test
/// about masks starts from a known one, whatever mask the process running the tests inherited.
class unblocked_signals {
 public:
  unblocked_signals() {
    sigset_t none;
    ::sigemptyset(&none);
    ::pthread_sigmask(SIG_SETMASK, &none, &saved_);
  }
  ~unblocked_signals() { ::pthread_sigmask(SIG_SETMASK, &saved_, nullptr); }
  unblocked_signals(const unblocked_signals&) = delete;
  unblocked_signals& operator=(const unblocked_signals&) = delete;

 private:
  sigset_t saved_;
};

}  // namespace warroom::test
