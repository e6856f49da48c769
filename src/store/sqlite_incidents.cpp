#include <warroom/store/connection.hpp>
#include <warroom/store/sqlite_database.hpp>

namespace warroom::store {
namespace {

#define WARROOM_INCIDENT_COLUMNS                                                              \
  "id, number, title, status, channel_id, channel_name, post_id, jira_key, card_generation, " \
  "created_at, acked_at, resolved_at, extra, updated_at"

incident_record read_incident(const statement& row) {
  incident_record r;
  r.id = row.text_at(0);
  r.number = row.int_at(1);
  r.title = row.text_at(2);
  r.status = row.text_at(3);
  r.channel_id = row.text_at(4);
  r.channel_name = row.text_at(5);
  r.post_id = row.text_at(6);
  r.jira_key = row.text_at(7);
  r.card_generation = row.int_at(8);
  r.created_at_ms = row.int_at(9);
  r.acked_at_ms = row.int_at(10);
  r.resolved_at_ms = row.int_at(11);
  r.extra_json = row.text_at(12);
  r.updated_at_ms = row.int_at(13);
  return r;
}

template <class T, class Read>
result<std::vector<T>> read_all(statement& query, Read read) {
  std::vector<T> rows;
  auto each = query.each_row([&](const statement& row) { rows.push_back(read(row)); });
  if (!each) return each.error();
  return rows;
}

// Runs one parameterised statement in its own transaction; `bind` binds its parameters.
template <class Bind>
result<void> write_one(sqlite_database& db, const char* sql, Bind bind) {
  return db.write([&]() -> result<void> {
    auto stmt = db.conn().prepare(sql);
    bind(stmt);
    return stmt.run();
  });
}

result<std::optional<incident_record>> first_incident(sqlite_database& db, const char* sql,
                                                      std::string_view key) {
  auto query = db.conn().prepare(sql);
  auto rows = read_all<incident_record>(query.bind(1, key), read_incident);
  if (!rows) return rows.error();
  if (rows->empty()) return std::optional<incident_record>{};
  return std::optional<incident_record>{std::move(rows->front())};
}

}  // namespace

result<void> sqlite_database::upsert_incident(const incident_record& r) {
  return write_one(*this,
                   "INSERT OR REPLACE INTO incidents (" WARROOM_INCIDENT_COLUMNS
                   ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)",
                   [&](statement& s) {
                     s.bind(1, r.id).bind(2, r.number).bind(3, r.title).bind(4, r.status);
                     s.bind(5, r.channel_id).bind(6, r.channel_name).bind(7, r.post_id);
                     s.bind(8, r.jira_key).bind(9, r.card_generation).bind(10, r.created_at_ms);
                     s.bind(11, r.acked_at_ms).bind(12, r.resolved_at_ms).bind(13, r.extra_json);
                     s.bind(14, r.updated_at_ms);
                   });
}

result<std::optional<incident_record>> sqlite_database::get_incident(std::string_view id) {
  return first_incident(*this, "SELECT " WARROOM_INCIDENT_COLUMNS " FROM incidents WHERE id = ?1",
                        id);
}

result<std::optional<incident_record>> sqlite_database::find_incident_by_channel(
    std::string_view channel_id) {
  if (channel_id.empty()) return std::optional<incident_record>{};
  return first_incident(*this,
                        "SELECT " WARROOM_INCIDENT_COLUMNS
                        " FROM incidents WHERE channel_id = ?1 ORDER BY updated_at DESC LIMIT 1",
                        channel_id);
}

result<std::vector<incident_record>> sqlite_database::list_incidents(int limit) {
  auto query = conn().prepare("SELECT " WARROOM_INCIDENT_COLUMNS
                              " FROM incidents ORDER BY updated_at DESC, id LIMIT ?1");
  return read_all<incident_record>(query.bind(1, limit), read_incident);
}

result<std::map<std::string, std::int64_t>> sqlite_database::count_open_incidents() {
  // The condition is incidents_open_by_status's, word for word, so the planner uses that index.
  auto query = conn().prepare(
      "SELECT status, COUNT(*) FROM incidents "
      "WHERE status = 'triggered' OR status = 'acknowledged' GROUP BY status");
  std::map<std::string, std::int64_t> counts;
  auto read = query.each_row([&](const statement& row) { counts[row.text_at(0)] = row.int_at(1); });
  if (!read) return read.error();
  return counts;
}

result<void> sqlite_database::save_step(std::string_view owner, std::string_view step,
                                        std::string_view value, std::int64_t now_ms) {
  return write_one(
      *this,
      "INSERT OR REPLACE INTO steps (owner, step, result, updated_at) "
      "VALUES (?1, ?2, ?3, ?4)",
      [&](statement& s) { s.bind(1, owner).bind(2, step).bind(3, value).bind(4, now_ms); });
}

result<std::map<std::string, std::string>> sqlite_database::load_steps(std::string_view owner) {
  auto query = conn().prepare("SELECT step, result FROM steps WHERE owner = ?1");
  query.bind(1, owner);
  std::map<std::string, std::string> steps;
  auto read =
      query.each_row([&](const statement& row) { steps.emplace(row.text_at(0), row.text_at(1)); });
  if (!read) return read.error();
  return steps;
}

result<void> sqlite_database::append_audit(const audit_entry& e) {
  return write_one(*this,
                   "INSERT INTO audit (at, incident_id, actor, action, source, detail) "
                   "VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                   [&](statement& s) {
                     s.bind(1, e.at_ms).bind(2, e.incident_id).bind(3, e.actor);
                     s.bind(4, e.action).bind(5, e.source).bind(6, e.detail);
                   });
}

result<std::vector<audit_entry>> sqlite_database::list_audit(std::string_view incident_id,
                                                             int limit) {
  auto query = conn().prepare(
      "SELECT at, incident_id, actor, action, source, detail FROM audit WHERE incident_id = ?1 "
      "ORDER BY id LIMIT ?2");
  return read_all<audit_entry>(query.bind(1, incident_id).bind(2, limit), [](const statement& s) {
    return audit_entry{s.int_at(0),  s.text_at(1), s.text_at(2),
                       s.text_at(3), s.text_at(4), s.text_at(5)};
  });
}

}  // namespace warroom::store
