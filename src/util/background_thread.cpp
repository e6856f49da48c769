#include <pthread.h>

#include <warroom/util/background_thread.hpp>

namespace warroom::util {

signals_blocked::signals_blocked() {
  sigset_t all;
  ::sigfillset(&all);
  ::pthread_sigmask(SIG_BLOCK, &all, &previous_);
}

signals_blocked::~signals_blocked() {
  ::pthread_sigmask(SIG_SETMASK, &previous_, nullptr);
}

}  // namespace warroom::util
