// Plain values that go in and out of the store. No behaviour, no engine: the runtime and both
// backends (SQLite, PostgreSQL) share them.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace warroom::store {

/// One inbound webhook delivery. `event_id` may be empty (no event-level dedupe); an empty
/// `job_kind` stores the delivery for dedupe only. Times are milliseconds since the Unix epoch.
struct delivery {
  std::string source;
  std::string delivery_id;
  std::string event_id;
  std::string incident_id;
  std::string job_kind;
  std::string payload;
  std::int64_t received_at_ms = 0;
};

enum class ingest_status { accepted, duplicate };

/// The positions, in order, of the deliveries in `batch` that no earlier delivery of the batch
/// shares its (source, delivery_id) or its non-empty (source, event_id) with: the only ones a
/// backend still has to check against what it stored.
std::vector<std::size_t> first_in_batch(std::span<const delivery> batch);

/// `job_id` is the new job for an accepted delivery with a job kind, else 0.
struct ingest_result {
  ingest_status status = ingest_status::accepted;
  std::int64_t job_id = 0;
  friend bool operator==(const ingest_result&, const ingest_result&) = default;
};

enum class job_state { queued, running, done, dead };
const char* to_string(job_state state) noexcept;
/// The state named `text`; anything unknown reads as queued.
job_state parse_job_state(std::string_view text) noexcept;

/// A unit of pipeline work. Jobs of one incident run one at a time in id (arrival) order; jobs with
/// an empty incident id are independent of each other.
struct job {
  std::int64_t id = 0;
  std::string kind;
  std::string incident_id;
  std::string payload;
  job_state state = job_state::queued;
  int attempts = 0;
  std::int64_t next_attempt_at_ms = 0;
  std::string last_error;
  std::int64_t created_at_ms = 0;
  std::int64_t updated_at_ms = 0;
};

/// The durable state of one war room. Timestamps are 0 while unset; `extra_json` carries whatever
/// the domain keeps beyond the indexed columns.
struct incident_record {
  std::string id;
  std::int64_t number = 0;
  std::string title;
  std::string status;
  std::string channel_id;
  std::string channel_name;
  std::string post_id;
  std::string jira_key;
  std::int64_t card_generation = 0;
  std::int64_t created_at_ms = 0;
  std::int64_t acked_at_ms = 0;
  std::int64_t resolved_at_ms = 0;
  std::string extra_json = "{}";
  std::int64_t updated_at_ms = 0;
  friend bool operator==(const incident_record&, const incident_record&) = default;
};

/// One line of the audit log: who did what to which incident, through which channel.
struct audit_entry {
  std::int64_t at_ms = 0;
  std::string incident_id;
  std::string actor;
  std::string action;
  std::string source;
  std::string detail;
  friend bool operator==(const audit_entry&, const audit_entry&) = default;
};

struct job_counts {
  std::int64_t queued = 0;
  std::int64_t running = 0;
  std::int64_t done = 0;
  std::int64_t dead = 0;
};

/// Whether the last write committed; `last_error` is the most recent storage failure (kept after
/// recovery so metrics and logs can show it).
struct store_health {
  bool healthy = true;
  std::string last_error;
};

}  // namespace warroom::store
