#include <pthread.h>
#include <sys/signalfd.h>

#include <warroom/runtime/process_signals.hpp>

namespace warroom::runtime {

sigset_t daemon_signals() {
  sigset_t set;
  ::sigemptyset(&set);
  ::sigaddset(&set, SIGTERM);
  ::sigaddset(&set, SIGINT);
  ::sigaddset(&set, SIGHUP);
  return set;
}

sigset_t block_daemon_signals() {
  const sigset_t set = daemon_signals();
  sigset_t previous;
  ::pthread_sigmask(SIG_BLOCK, &set, &previous);
  return previous;
}

int open_daemon_signal_fd() {
  const sigset_t set = daemon_signals();
  return ::signalfd(-1, &set, SFD_NONBLOCK | SFD_CLOEXEC);
}

}  // namespace warroom::runtime
