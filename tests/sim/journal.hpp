// journal: every request the simulator's fakes received, so tests can assert on exactly what the
// daemon sent. Owned by the simulator; single-threaded (the simulator's io_context thread).
#pragma once

#include <cstdint>
#include <deque>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include <warroom/api/http_call.hpp>

namespace warroom::sim {

/// One received request. `status` is what the simulator answered (0: the connection was reset).
struct journal_entry {
  std::uint64_t seq = 0;
  std::string service;
  std::string method;
  std::string target;  // path and query, as received
  std::vector<api::header> headers;
  std::string body;
  std::int64_t time_ms = 0;  // when it was received (Unix ms)
  unsigned status = 0;
  std::string fault;  // "", "latency", "error", "rate_limit", "reset"
};

/// Keeps the newest `capacity` entries. Sequence numbers start at 1, only grow and survive
/// clear(), so "since=N" polling never sees an entry twice.
class journal {
 public:
  explicit journal(std::size_t capacity = 100000) : capacity_(capacity) {}

  /// Stores `entry` with credentials (Authorization, Cookie, X-PagerDuty-Signature) masked and
  /// returns its sequence number.
  std::uint64_t record(journal_entry entry);
  void clear() { entries_.clear(); }

  /// Entries of `service` ("" = all) with seq > `since`, oldest first.
  std::vector<const journal_entry*> select(std::string_view service, std::uint64_t since) const;
  /// {"requests": [...], "last_seq": N} for the control API.
  nlohmann::json to_json(std::string_view service, std::uint64_t since) const;

 private:
  std::size_t capacity_;
  std::uint64_t next_seq_ = 1;
  std::deque<journal_entry> entries_;
};

nlohmann::json to_json(const journal_entry& entry);

}  // namespace warroom::sim
