// Incident records, pipeline step checkpoints and the audit log over a database. All functions
// run on the database's thread; each write is one transaction.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <warroom/store/records.hpp>
#include <warroom/util/result.hpp>

namespace warroom::store {

class database;

/// Inserts or replaces the record with this id (every column, so callers write whole records).
result<void> upsert_incident(database& db, const incident_record& record);
result<std::optional<incident_record>> get_incident(database& db, std::string_view id);
/// The war room whose channel this is (the latest one when a channel was ever reused).
result<std::optional<incident_record>> find_incident_by_channel(database& db,
                                                                std::string_view channel_id);
/// Most recently updated first.
result<std::vector<incident_record>> list_incidents(database& db, int limit);
/// How many war rooms are in each status ("triggered", "acknowledged", "resolved").
result<std::map<std::string, std::int64_t>> count_incidents_by_status(database& db);

/// Checkpoints one pipeline step's result for `owner` (an incident or job id); a second save of
/// the same step replaces the value.
result<void> save_step(database& db, std::string_view owner, std::string_view step,
                       std::string_view value, std::int64_t now_ms);
/// Every checkpointed step of `owner`: step name → result.
result<std::map<std::string, std::string>> load_steps(database& db, std::string_view owner);

result<void> append_audit(database& db, const audit_entry& entry);
/// The incident's audit lines, oldest first.
result<std::vector<audit_entry>> list_audit(database& db, std::string_view incident_id, int limit);

}  // namespace warroom::store
