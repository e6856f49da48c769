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

void name_this_thread(const std::string& name) {
  ::pthread_setname_np(::pthread_self(), name.substr(0, 15).c_str());
}

}  // namespace warroom::util
