#include <algorithm>
#include <cstdint>
#include <poll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <warroom/store/pg_listener.hpp>
#include <warroom/util/background_thread.hpp>

#include "libpq_api.hpp"

namespace warroom::store {

pg_listener::pg_listener(std::string url, std::function<void()> on_jobs)
    : url_(std::move(url)), on_jobs_(std::move(on_jobs)) {
  stop_fd_ = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
  thread_ = util::background_thread("warroom-listen", [this] { run(); });
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
  auto loaded = load_libpq();
  if (!loaded) return;  // the store could not have opened either; the poll covers everything
  const libpq_api& pq = **loaded;
  int backoff_ms = 100;
  while (!stopping_.load()) {
    const char* keys[] = {"dbname", "connect_timeout", "application_name", nullptr};
    const char* values[] = {url_.c_str(), "5", "warroomd-listen", nullptr};
    PGconn* conn = pq.PQconnectdbParams(keys, values, 1);
    bool ok = conn != nullptr && pq.PQstatus(conn) == CONNECTION_OK;
    if (ok) {
      PGresult* res = pq.PQexec(conn, "LISTEN warroom_jobs");
      ok = pq.PQresultStatus(res) == PGRES_COMMAND_OK;
      pq.PQclear(res);
    }
    if (ok) {
      listening_.store(true);
      backoff_ms = 100;
      // Jobs queued while we were not listening: one wake covers them.
      on_jobs_();
    }
    while (ok && wait(pq.PQsocket(conn), -1)) {
      if (pq.PQconsumeInput(conn) == 0) break;  // connection lost
      bool any = false;
      while (PGnotify* note = pq.PQnotifies(conn)) {
        any = true;
        pq.PQfreemem(note);
      }
      if (any) {
        received_.fetch_add(1);
        on_jobs_();
      }
    }
    listening_.store(false);
    if (conn != nullptr) pq.PQfinish(conn);
    if (!wait(-1, backoff_ms)) break;
    backoff_ms = std::min(backoff_ms * 2, 5000);
  }
}

}  // namespace warroom::store
