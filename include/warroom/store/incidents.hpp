// Incident records, pipeline step checkpoints and the audit log over a database. The names the
// pipelines use; each forwards to the database (see database.hpp). All run on the database's
// thread; each write is one transaction.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <warroom/store/database.hpp>
#include <warroom/store/records.hpp>
#include <warroom/util/result.hpp>

namespace warroom::store {

/// Inserts or replaces the record with this id (every column, so callers write whole records).
inline result<void> upsert_incident(database& db, const incident_record& record) {
  return db.upsert_incident(record);
}

inline result<std::optional<incident_record>> get_incident(database& db, std::string_view id) {
  return db.get_incident(id);
}

inline result<std::optional<incident_record>> find_incident_by_channel(
    database& db, std::string_view channel_id) {
  return db.find_incident_by_channel(channel_id);
}

inline result<std::vector<incident_record>> list_incidents(database& db, int limit) {
  return db.list_incidents(limit);
}

/// How many war rooms are open in each status ("triggered", "acknowledged"), read through a
/// partial index of the open ones: resolved war rooms pile up for good, and the gauge that asks
/// every few seconds must not scan them on the store thread.
inline result<std::map<std::string, std::int64_t>> count_open_incidents(database& db) {
  return db.count_open_incidents();
}

/// Checkpoints one pipeline step's result for `owner` (an incident or job id); a second save of
/// the same step replaces the value.
inline result<void> save_step(database& db, std::string_view owner, std::string_view step,
                              std::string_view value, std::int64_t now_ms) {
  return db.save_step(owner, step, value, now_ms);
}

/// Every checkpointed step of `owner`: step name → result.
inline result<std::map<std::string, std::string>> load_steps(database& db, std::string_view owner) {
  return db.load_steps(owner);
}

inline result<void> append_audit(database& db, const audit_entry& entry) {
  return db.append_audit(entry);
}

/// The incident's audit lines, oldest first.
inline result<std::vector<audit_entry>> list_audit(database& db, std::string_view incident_id,
                                                   int limit) {
  return db.list_audit(incident_id, limit);
}

}  // namespace warroom::store
