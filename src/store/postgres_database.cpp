#include <string>
#include <unordered_map>

#include <warroom/store/postgres_database.hpp>

namespace warroom::store {
namespace {

// One statement for the whole batch: the deliveries that are new (ON CONFLICT DO NOTHING covers
// both unique indexes, and waits for a replica inserting the same key to commit or roll back)
// get a job id from the jobs sequence, and their jobs go in beside them. Duplicates within the
// batch are settled before, so every key here is distinct.
constexpr const char* ingest_sql = R"sql(
WITH input AS (
  SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::bigint[], $5::text[], $6::text[],
                       $7::text[])
    AS t(source, delivery_id, event_id, received_at, kind, incident_id, payload)),
d AS (
  INSERT INTO deliveries (source, delivery_id, event_id, received_at, job_id)
  SELECT source, delivery_id, event_id, received_at,
         CASE WHEN kind <> '' THEN nextval('jobs_id_seq') END
  FROM input
  ON CONFLICT DO NOTHING
  RETURNING source, delivery_id, job_id),
j AS (
  INSERT INTO jobs (id, kind, incident_id, payload, state, next_attempt_at, created_at, updated_at)
  SELECT d.job_id, i.kind, i.incident_id, i.payload, 'queued', i.received_at, i.received_at,
         i.received_at
  FROM d JOIN input i USING (source, delivery_id)
  WHERE d.job_id IS NOT NULL)
SELECT source, delivery_id, job_id FROM d)sql";

std::string key_of(std::string_view source, std::string_view id) {
  std::string key(source);
  key.push_back('\0');
  key.append(id);
  return key;
}

}  // namespace

result<std::unique_ptr<postgres_database>> postgres_database::open(
    const postgres_options& options) {
  auto conn = pg_connection::open(options.url);
  if (!conn) return std::move(conn).error();
  if (auto migrated = migrate_postgres(**conn); !migrated) return migrated.error();
  return std::unique_ptr<postgres_database>(new postgres_database(std::move(*conn), options));
}

result<void> postgres_database::transact(const std::function<result<void>()>& body) {
  const bool nested = conn_->in_transaction();
  if (auto begun = conn_->exec(nested ? "SAVEPOINT warroom_write" : "BEGIN"); !begun) {
    note_failure(begun.error());
    return begun;
  }
  auto outcome = body();
  if (nested) {
    if (outcome) outcome = conn_->exec("RELEASE SAVEPOINT warroom_write");
    if (!outcome && conn_->in_transaction()) {
      (void)conn_->exec("ROLLBACK TO SAVEPOINT warroom_write");
      (void)conn_->exec("RELEASE SAVEPOINT warroom_write");
    }
  } else {
    if (outcome) outcome = conn_->exec("COMMIT");
    if (outcome) note_success();
    if (!outcome && conn_->in_transaction()) (void)conn_->exec("ROLLBACK");
  }
  if (!outcome) note_failure(outcome.error());
  return outcome;
}

result<pg_rows> postgres_database::read(std::string_view sql,
                                        std::initializer_list<pg_param> params) {
  auto rows = conn_->run(sql, params);
  if (!rows) note_failure(rows.error());
  return rows;
}

result<std::int64_t> postgres_database::change(std::string_view sql,
                                               std::initializer_list<pg_param> params) {
  const std::vector<pg_param> copied(params);
  return write([&]() -> result<std::int64_t> {
    auto rows = conn_->run(sql, copied);
    if (!rows) return rows.error();
    return rows->affected();
  });
}

result<void> postgres_database::move_running(std::string_view sql,
                                             std::initializer_list<pg_param> params,
                                             std::int64_t id) {
  auto changed = change(sql, params);
  if (!changed) return changed.error();
  if (*changed == 0) {
    return make_error("not_found", "job " + std::to_string(id) + " is not running here");
  }
  return {};
}

result<std::vector<ingest_result>> postgres_database::ingest_batch(
    std::span<const delivery> batch) {
  return write([&] { return insert_deliveries(batch); });
}

result<std::vector<ingest_result>> postgres_database::insert_deliveries(
    std::span<const delivery> batch) {
  std::vector<ingest_result> results(batch.size(), ingest_result{ingest_status::duplicate, 0});
  const std::vector<std::size_t> fresh = first_in_batch(batch);
  if (fresh.empty()) return results;

  std::vector<std::string_view> sources, ids, events, kinds, incidents, payloads;
  std::vector<std::int64_t> times;
  for (const std::size_t i : fresh) {
    const auto& d = batch[i];
    sources.push_back(d.source);
    ids.push_back(d.delivery_id);
    events.push_back(d.event_id);
    times.push_back(d.received_at_ms);
    kinds.push_back(d.job_kind);
    incidents.push_back(d.incident_id);
    payloads.push_back(d.payload);
  }
  auto rows =
      conn_->run(ingest_sql, {pg_text_array(sources), pg_text_array(ids), pg_text_array(events),
                              pg_int_array(times), pg_text_array(kinds), pg_text_array(incidents),
                              pg_text_array(payloads)});
  if (!rows) return rows.error();
  std::unordered_map<std::string, std::int64_t> stored;
  for (int r = 0; r < rows->size(); ++r)
    stored.emplace(key_of(rows->text_at(r, 0), rows->text_at(r, 1)), rows->int_at(r, 2));
  bool queued = false;
  for (const std::size_t i : fresh) {
    const auto found = stored.find(key_of(batch[i].source, batch[i].delivery_id));
    if (found == stored.end()) continue;
    results[i] = ingest_result{ingest_status::accepted, found->second};
    queued = queued || found->second != 0;
  }
  if (queued) {
    // Delivered at commit: the other replicas' dispatchers claim without waiting for their poll.
    if (auto told = conn_->exec("NOTIFY warroom_jobs"); !told) return told.error();
  }
  return results;
}

result<std::int64_t> postgres_database::prune_deliveries(std::int64_t older_than_ms,
                                                         int batch_limit) {
  return change(
      "DELETE FROM deliveries WHERE id IN (SELECT id FROM deliveries WHERE received_at < $1 "
      "ORDER BY received_at LIMIT $2)",
      {older_than_ms, batch_limit});
}

}  // namespace warroom::store
