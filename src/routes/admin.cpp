#include <boost/asio/this_coro.hpp>
#include <nlohmann/json.hpp>

#include <warroom/domain/archive.hpp>
#include <warroom/pipelines/store_bridge.hpp>
#include <warroom/pipelines/war_room.hpp>
#include <warroom/routes/admin.hpp>
#include <warroom/store/incidents.hpp>
#include <warroom/store/jobs.hpp>

namespace warroom::routes {
namespace asio = boost::asio;
using nlohmann::json;

namespace {

json room_json(const store::incident_record& record) {
  const auto room = pipelines::decode_war_room(record);
  const auto& inc = room.incident;
  return {{"id", inc.id},
          {"number", inc.number},
          {"title", inc.title},
          {"status", inc.status},
          {"urgency", inc.urgency},
          {"priority", inc.priority},
          {"pagerduty_url", inc.html_url},
          {"channel", {{"id", room.channel_id}, {"name", room.channel_name}}},
          {"post_id", room.post_id},
          {"route", pipelines::route_json(room)},
          {"jira", {{"key", room.jira_key}, {"url", room.jira_url}}},
          {"acknowledged_by", room.acknowledged_by},
          {"resolved_by", room.resolved_by},
          {"created_at_ms", inc.created_at_ms},
          {"acknowledged_at_ms", inc.acknowledged_at_ms},
          {"resolved_at_ms", inc.resolved_at_ms},
          {"updated_at_ms", record.updated_at_ms}};
}

json job_json(const store::job& j) {
  return {{"id", j.id},
          {"kind", j.kind},
          {"state", store::to_string(j.state)},
          {"attempts", j.attempts},
          {"last_error", j.last_error},
          {"created_at_ms", j.created_at_ms},
          {"updated_at_ms", j.updated_at_ms}};
}

bool authorized(const net::request& req, const util::secret& token) {
  const auto header = req.header_value("authorization");
  constexpr std::string_view bearer = "Bearer ";
  return header && header->starts_with(bearer) && token.equals(header->substr(bearer.size()));
}

std::string dump(const json& j) {
  return j.dump(-1, ' ', false, json::error_handler_t::replace);
}

/// Everything shown for one incident, read in one hop to the store thread.
result<json> incident_detail(store::database& d, const std::string& id) {
  auto record = store::get_incident(d, id);
  if (!record) return record.error();
  if (!*record) return json(nullptr);
  json out = room_json(**record);
  auto steps = store::load_steps(d, id);
  if (!steps) return steps.error();
  // Archived by the current resolve (a reopen since would have made the room unresolved).
  const auto room = pipelines::decode_war_room(**record);
  out["channel"]["archived"] =
      domain::status_of(room.incident) == domain::incident_status::resolved &&
      steps->contains(domain::archive_steps_of(room.incident.resolved_at_ms).done);
  out["steps_done"] = json::array();
  for (const auto& [step, value] : *steps)
    out["steps_done"].push_back(step);
  out["jobs"] = json::array();
  for (auto state : {store::job_state::queued, store::job_state::running, store::job_state::dead}) {
    auto jobs = store::list_jobs(d, state, 1000);
    if (!jobs) return jobs.error();
    for (const auto& j : *jobs)
      // "<id>/reminders" and the like: scheduled jobs in a lane of the incident's own.
      if (j.incident_id == id || j.incident_id.starts_with(id + "/"))
        out["jobs"].push_back(job_json(j));
  }
  auto audit = store::list_audit(d, id, 100);
  if (!audit) return audit.error();
  out["audit"] = json::array();
  for (const auto& a : *audit)
    out["audit"].push_back(
        {{"at_ms", a.at_ms}, {"actor", a.actor}, {"action", a.action}, {"source", a.source}});
  return out;
}

result<json> incident_list(store::database& d) {
  auto records = store::list_incidents(d, 500);
  if (!records) return records.error();
  json out = {{"incidents", json::array()}};
  for (const auto& r : *records)
    out["incidents"].push_back(room_json(r));
  auto dead = store::list_jobs(d, store::job_state::dead, 1000);
  if (!dead) return dead.error();
  out["dead_jobs"] = json::array();
  for (const auto& j : *dead) {
    auto entry = job_json(j);
    entry["incident_id"] = j.incident_id;
    out["dead_jobs"].push_back(entry);
  }
  return out;
}

}  // namespace

void add_admin_routes(net::router& routes, store::async_store& db, util::secret admin_token) {
  auto token = std::make_shared<util::secret>(std::move(admin_token));
  auto handle = [&db, token](net::request req) -> asio::awaitable<net::response> {
    if (!authorized(req, *token))
      co_return net::error_response(401, "unauthorized",
                                    "admin API needs Authorization: Bearer <admin_token>");
    auto ex = co_await asio::this_coro::executor;
    const std::string path(req.path());
    const std::string prefix = "/api/v1/incidents/";
    const std::string id = path.starts_with(prefix) ? path.substr(prefix.size()) : "";
    auto work = [id](store::database& d) {
      return id.empty() ? incident_list(d) : incident_detail(d, id);
    };
    auto op = pipelines::on_store<json>(db, ex, work);
    auto found = co_await std::move(op);
    if (!found) co_return net::error_response(503, "unavailable", "the store cannot be read");
    if (found->is_null())
      co_return net::error_response(404, "not_found", "no war room for that incident");
    co_return net::json_response(200, dump(*found));
  };
  routes.add("GET", "/api/v1/incidents", handle);
  routes.add("GET", "/api/v1/incidents/*", handle);
}

}  // namespace warroom::routes
