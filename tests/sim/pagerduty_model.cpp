#include "pagerduty_model.hpp"

#include <algorithm>
#include <ctime>

namespace warroom::sim::pd {
namespace {

using nlohmann::json;

bool iequal(std::string_view a, std::string_view b) {
  return std::equal(a.begin(), a.end(), b.begin(), b.end(), [](char x, char y) {
    return std::tolower(static_cast<unsigned char>(x)) ==
           std::tolower(static_cast<unsigned char>(y));
  });
}

std::string str(const json& o, const char* key, std::string fallback = {}) {
  return o.contains(key) && o[key].is_string() ? o[key].get<std::string>() : fallback;
}

/// Replaces the element with the same id, or appends.
template <class T>
void upsert(std::vector<T>& list, T value) {
  for (auto& v : list)
    if (v.id == value.id) return void(v = std::move(value));
  list.push_back(std::move(value));
}

result<std::vector<std::vector<std::string>>> read_levels(const json& levels) {
  std::vector<std::vector<std::string>> out;
  if (!levels.is_array()) return make_error("bad_request", "levels must be an array");
  for (const auto& level : levels) {
    // A level is a list of user ids, or {"user_ids": [...]}.
    const json& ids = level.is_object() ? level.value("user_ids", json::array()) : level;
    if (!ids.is_array()) return make_error("bad_request", "a level is an array of user ids");
    auto& users = out.emplace_back();
    for (const auto& id : ids)
      if (id.is_string()) users.push_back(id.get<std::string>());
  }
  return out;
}

}  // namespace

std::string iso_time(std::int64_t unix_ms, bool with_millis) {
  const std::time_t secs = static_cast<std::time_t>(unix_ms / 1000);
  std::tm tm{};
  ::gmtime_r(&secs, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &tm);
  std::string out = buf;
  if (with_millis) {
    char ms[8];
    std::snprintf(ms, sizeof ms, ".%03d", static_cast<int>(unix_ms % 1000));
    out += ms;
  }
  return out + "Z";
}

model::model(std::string web_url) : web_url_(std::move(web_url)) {
  for (int p = 1; p <= 5; ++p)
    priorities_.push_back({new_id('P', 6), "P" + std::to_string(p)});
}

std::string model::new_id(char prefix, std::size_t length) {
  static constexpr std::string_view alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
  std::uniform_int_distribution<std::size_t> pick(0, alphabet.size() - 1);
  std::string id(1, prefix);
  for (std::size_t i = 0; i < length; ++i)
    id += alphabet[pick(ids_)];
  return id;
}

result<void> model::seed(const json& data) {
  if (!data.is_object()) return make_error("bad_request", "seed data must be a JSON object");
  if (data.value("reset", false)) {
    users_.clear();
    policies_.clear();
    services_.clear();
    incidents_.clear();
  }
  for (const auto& u : data.value("users", json::array())) {
    if (str(u, "email").empty()) return make_error("bad_request", "every user needs an email");
    upsert(users_, user{str(u, "id", new_id('P', 6)), str(u, "name", str(u, "email")),
                        str(u, "email"), str(u, "time_zone", "Etc/UTC"), str(u, "role", "user")});
  }
  for (const auto& p : data.value("escalation_policies", json::array())) {
    auto levels = read_levels(p.value("levels", json::array()));
    if (!levels) return levels.error();
    for (const auto& level : *levels)
      for (const auto& id : level)
        if (!find_user(id)) return make_error("bad_request", "unknown user id in levels: " + id);
    escalation_policy policy{str(p, "id", new_id('P', 6)), str(p, "name", "Default"),
                             std::move(*levels)};
    policies_[policy.id] = std::move(policy);
  }
  for (const auto& s : data.value("services", json::array())) {
    service svc{str(s, "id", new_id('P', 6)), str(s, "name", "Service"),
                str(s, "escalation_policy_id")};
    for (const auto& t : s.value("teams", json::array()))
      svc.teams.push_back(
          reference("team", str(t, "id", new_id('P', 6)), str(t, "summary", "Team")));
    if (!find_policy(svc.escalation_policy_id))
      return make_error("bad_request", "service " + svc.id + " needs a known escalation_policy_id");
    services_[svc.id] = std::move(svc);
  }
  for (const auto& p : data.value("priorities", json::array()))
    upsert(priorities_, priority{str(p, "id", new_id('P', 6)), str(p, "name")});
  return {};
}

json model::state() const {
  json out = {{"users", json::array()},
              {"escalation_policies", json::array()},
              {"services", json::array()},
              {"priorities", json::array()},
              {"incidents", json::array()}};
  for (const auto& u : users_)
    out["users"].push_back(user_json(u));
  for (const auto& [id, p] : policies_)
    out["escalation_policies"].push_back({{"id", id}, {"name", p.name}, {"levels", p.levels}});
  for (const auto& [id, s] : services_)
    out["services"].push_back({{"id", id},
                               {"name", s.name},
                               {"escalation_policy_id", s.escalation_policy_id},
                               {"teams", s.teams}});
  for (const auto& p : priorities_)
    out["priorities"].push_back({{"id", p.id}, {"name", p.name}});
  for (const auto& inc : incidents_) {
    auto j = incident_json(inc);
    j["notes"] = json::array();
    for (const auto& n : inc.notes)
      j["notes"].push_back(note_json(n));
    out["incidents"].push_back(std::move(j));
  }
  return out;
}

const user* model::find_user(std::string_view id) const {
  for (const auto& u : users_)
    if (u.id == id) return &u;
  return nullptr;
}

const user* model::find_user_by_email(std::string_view email) const {
  for (const auto& u : users_)
    if (iequal(u.email, email)) return &u;
  return nullptr;
}

const escalation_policy* model::find_policy(std::string_view id) const {
  const auto it = policies_.find(std::string(id));
  return it == policies_.end() ? nullptr : &it->second;
}

const service* model::find_service(std::string_view id) const {
  const auto it = services_.find(std::string(id));
  return it == services_.end() ? nullptr : &it->second;
}

const priority* model::find_priority(std::string_view id_or_name) const {
  for (const auto& p : priorities_)
    if (p.id == id_or_name || p.name == id_or_name) return &p;
  return nullptr;
}

incident* model::find_incident(std::string_view id) {
  for (auto& inc : incidents_)
    if (inc.id == id) return &inc;
  return nullptr;
}

incident& model::add_incident(incident fresh) {
  fresh.number = incidents_.empty() ? 1 : incidents_.back().number + 1;
  return incidents_.emplace_back(std::move(fresh));
}

json model::reference(std::string_view kind, const std::string& id,
                      const std::string& summary) const {
  const std::string plural = kind.ends_with('y')
                                 ? std::string(kind.substr(0, kind.size() - 1)) + "ies"
                                 : std::string(kind) + "s";
  json ref = {{"id", id},
              {"type", std::string(kind) + "_reference"},
              {"summary", summary},
              {"self", api_url_ + "/" + plural + "/" + id},
              {"html_url", web_url_ + "/" + plural + "/" + id}};
  if (kind == "priority") ref["html_url"] = web_url_ + "/account/incident_priorities";
  return ref;
}

json model::user_ref(const std::string& user_id) const {
  const auto* u = find_user(user_id);
  return reference("user", user_id, u ? u->name : user_id);
}

json model::user_json(const user& u) const {
  json j = reference("user", u.id, u.name);
  j["type"] = "user";
  j.update({{"name", u.name},
            {"email", u.email},
            {"time_zone", u.time_zone},
            {"role", u.role},
            {"color", "green"},
            {"description", ""},
            {"invitation_sent", false},
            {"job_title", ""},
            {"teams", json::array()},
            {"contact_methods", json::array()},
            {"notification_rules", json::array()}});
  return j;
}

json model::priority_ref(const std::optional<std::string>& id) const {
  const auto* p = id ? find_priority(*id) : nullptr;
  return p ? reference("priority", p->id, p->name) : json(nullptr);
}

json model::teams_of(const std::string& service_id) const {
  const auto it = services_.find(service_id);
  return it == services_.end() ? json::array() : it->second.teams;
}

json model::service_ref(const std::string& id) const {
  const auto* s = find_service(id);
  return reference("service", id, s ? s->name : id);
}

json model::policy_ref(const std::string& id) const {
  const auto* p = find_policy(id);
  return reference("escalation_policy", id, p ? p->name : id);
}

}  // namespace warroom::sim::pd
