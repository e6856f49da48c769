#include <algorithm>
#include <cstdint>
#include <libpq-fe.h>
#include <poll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <warroom/store/pg_listener.hpp>

namespace warroom::store {

pg_listener::pg_listener(std::string url, std::function<void()> on_jobs)
    : url_(std::move(url)), on_jobs_(std::move(on_jobs)) {
  stop_fd_ = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
  thread_ = std::thread([this] { run(); });
}

pg_listener::~pg_listener() {
  stop();
  if (stop_fd_ >= 0) close(stop_fd_);
}

void pg_listener::stop() {
  if (!stopping_.exchange(true) && stop_fd_ >= 0) {
    const std::uint64_t one = 1;
    (void)!write(stop_fd_, &one, sizeof one);
  }
  if (thread_.joinable() && thread_.get_id() != std::this_thread::get_id()) thread_.join();
}

bool pg_listener::wait(int socket, int timeout_ms) {
  pollfd fds[2] = {{stop_fd_, POLLIN, 0}, {socket, POLLIN, 0}};
  (void)poll(fds, socket >= 0 ? 2 : 1, timeout_ms);
  return !stopping_.load();
}

void pg_listener::run() {
  int backoff_ms = 100;
  while (!stopping_.load()) {
    const char* keys[] = {"dbname", "connect_timeout", "application_name", nullptr};
    const char* values[] = {url_.c_str(), "5", "warroomd-listen", nullptr};
    PGconn* conn = PQconnectdbParams(keys, values, 1);
    bool ok = conn != nullptr && PQstatus(conn) == CONNECTION_OK;
    if (ok) {
      PGresult* res = PQexec(conn, "LISTEN warroom_jobs");
      ok = PQresultStatus(res) == PGRES_COMMAND_OK;
      PQclear(res);
    }
    if (ok) {
      listening_.store(true);
      backoff_ms = 100;
      // Jobs queued while we were not listening: one wake covers them.
      on_jobs_();
    }
    while (ok && wait(PQsocket(conn), -1)) {
      if (PQconsumeInput(conn) == 0) break;  // connection lost
      bool any = false;
      while (PGnotify* note = PQnotifies(conn)) {
        any = true;
        PQfreemem(note);
      }
      if (any) {
        received_.fetch_add(1);
        on_jobs_();
      }
    }
    listening_.store(false);
    if (conn != nullptr) PQfinish(conn);
    if (!wait(-1, backoff_ms)) break;
    backoff_ms = std::min(backoff_ms * 2, 5000);
  }
}

}  // namespace warroom::store
