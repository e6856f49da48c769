#include <warroom/store/postgres_database.hpp>

namespace warroom::store {
namespace {

#define WARROOM_PG_INCIDENT_COLUMNS                                                           \
  "id, number, title, status, channel_id, channel_name, post_id, jira_key, card_generation, " \
  "created_at, acked_at, resolved_at, extra, updated_at"

std::vector<incident_record> read_incidents(const pg_rows& rows) {
  std::vector<incident_record> out;
  for (int i = 0; i < rows.size(); ++i) {
    incident_record r;
    r.id = rows.text_at(i, 0);
    r.number = rows.int_at(i, 1);
    r.title = rows.text_at(i, 2);
    r.status = rows.text_at(i, 3);
    r.channel_id = rows.text_at(i, 4);
    r.channel_name = rows.text_at(i, 5);
    r.post_id = rows.text_at(i, 6);
    r.jira_key = rows.text_at(i, 7);
    r.card_generation = rows.int_at(i, 8);
    r.created_at_ms = rows.int_at(i, 9);
    r.acked_at_ms = rows.int_at(i, 10);
    r.resolved_at_ms = rows.int_at(i, 11);
    r.extra_json = rows.text_at(i, 12);
    r.updated_at_ms = rows.int_at(i, 13);
    out.push_back(std::move(r));
  }
  return out;
}

result<std::optional<incident_record>> first_of(result<pg_rows> rows) {
  if (!rows) return rows.error();
  auto records = read_incidents(*rows);
  if (records.empty()) return std::optional<incident_record>{};
  return std::optional<incident_record>{std::move(records.front())};
}

}  // namespace

result<void> postgres_database::upsert_incident(const incident_record& r) {
  auto written = change(
      "INSERT INTO incidents (" WARROOM_PG_INCIDENT_COLUMNS
      ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) "
      "ON CONFLICT (id) DO UPDATE SET number = EXCLUDED.number, title = EXCLUDED.title, "
      "status = EXCLUDED.status, channel_id = EXCLUDED.channel_id, channel_name = "
      "EXCLUDED.channel_name, post_id = EXCLUDED.post_id, jira_key = EXCLUDED.jira_key, "
      "card_generation = EXCLUDED.card_generation, created_at = EXCLUDED.created_at, acked_at = "
      "EXCLUDED.acked_at, resolved_at = EXCLUDED.resolved_at, extra = EXCLUDED.extra, "
      "updated_at = EXCLUDED.updated_at",
      {r.id, r.number, r.title, r.status, r.channel_id, r.channel_name, r.post_id, r.jira_key,
       r.card_generation, r.created_at_ms, r.acked_at_ms, r.resolved_at_ms, r.extra_json,
       r.updated_at_ms});
  if (!written) return written.error();
  return {};
}

result<std::optional<incident_record>> postgres_database::get_incident(std::string_view id) {
  return first_of(
      read("SELECT " WARROOM_PG_INCIDENT_COLUMNS " FROM incidents WHERE id = $1", {id}));
}

result<std::optional<incident_record>> postgres_database::find_incident_by_channel(
    std::string_view channel_id) {
  if (channel_id.empty()) return std::optional<incident_record>{};
  return first_of(read("SELECT " WARROOM_PG_INCIDENT_COLUMNS
                       " FROM incidents WHERE channel_id = $1 ORDER BY updated_at DESC LIMIT 1",
                       {channel_id}));
}

result<std::vector<incident_record>> postgres_database::list_incidents(int limit) {
  auto rows = read("SELECT " WARROOM_PG_INCIDENT_COLUMNS
                   " FROM incidents ORDER BY updated_at DESC, id LIMIT $1",
                   {limit});
  if (!rows) return rows.error();
  return read_incidents(*rows);
}

result<std::map<std::string, std::int64_t>> postgres_database::count_open_incidents() {
  auto rows = read(
      "SELECT status, COUNT(*) FROM incidents WHERE status IN ('triggered', 'acknowledged') "
      "GROUP BY status",
      {});
  if (!rows) return rows.error();
  std::map<std::string, std::int64_t> counts;
  for (int r = 0; r < rows->size(); ++r)
    counts[rows->text_at(r, 0)] = rows->int_at(r, 1);
  return counts;
}

result<void> postgres_database::save_step(std::string_view owner, std::string_view step,
                                          std::string_view value, std::int64_t now_ms) {
  auto written = change(
      "INSERT INTO steps (owner, step, result, updated_at) VALUES ($1, $2, $3, $4) "
      "ON CONFLICT (owner, step) DO UPDATE SET result = EXCLUDED.result, updated_at = "
      "EXCLUDED.updated_at",
      {owner, step, value, now_ms});
  if (!written) return written.error();
  return {};
}

result<std::map<std::string, std::string>> postgres_database::load_steps(std::string_view owner) {
  auto rows = read("SELECT step, result FROM steps WHERE owner = $1", {owner});
  if (!rows) return rows.error();
  std::map<std::string, std::string> steps;
  for (int r = 0; r < rows->size(); ++r)
    steps.emplace(rows->text_at(r, 0), rows->text_at(r, 1));
  return steps;
}

result<void> postgres_database::append_audit(const audit_entry& e) {
  auto written = change(
      "INSERT INTO audit (at, incident_id, actor, action, source, detail) "
      "VALUES ($1, $2, $3, $4, $5, $6)",
      {e.at_ms, e.incident_id, e.actor, e.action, e.source, e.detail});
  if (!written) return written.error();
  return {};
}

result<std::vector<audit_entry>> postgres_database::list_audit(std::string_view incident_id,
                                                               int limit) {
  auto rows = read(
      "SELECT at, incident_id, actor, action, source, detail FROM audit WHERE incident_id = $1 "
      "ORDER BY id LIMIT $2",
      {incident_id, limit});
  if (!rows) return rows.error();
  std::vector<audit_entry> out;
  for (int r = 0; r < rows->size(); ++r)
    out.push_back(audit_entry{rows->int_at(r, 0), rows->text_at(r, 1), rows->text_at(r, 2),
                              rows->text_at(r, 3), rows->text_at(r, 4), rows->text_at(r, 5)});
  return out;
}

}  // namespace warroom::store
