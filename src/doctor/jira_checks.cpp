#include <set>

#include <nlohmann/json.hpp>

#include <warroom/api/jira_reply.hpp>
#include <warroom/api/vendor_error.hpp>
#include <warroom/doctor/jira_checks.hpp>

namespace warroom::doctor {

namespace {

using nlohmann::json;

constexpr std::string_view credentials_check = "jira credentials";
constexpr std::string_view project_check = "jira project";
constexpr std::string_view issue_type_check = "jira issue_type";
constexpr std::string_view priority_check = "jira priority_map";
constexpr std::string_view done_check = "jira done status";

// The JSON of a 200 reply, else a discarded value.
json ok_json(const reply& r) {
  if (!r || r->status != 200) return json(json::value_t::discarded);
  return api::parse_body(r->body);
}

check_line unexpected(std::string name, const reply& r, std::string fix) {
  if (!r) return no_reply(std::move(name), r.error(), "jira.url");
  return fail(std::move(name), api::jira_reply_error(*r).message, std::move(fix));
}

check_line read_credentials(const reply& r, const config::jira_config& cfg) {
  const std::string name(credentials_check);
  const json body = ok_json(r);
  if (body.is_object()) {
    const auto who =
        api::string_at(body, "displayName").value_or(api::string_at(body, "name").value_or("?"));
    return pass(name, "signed in as " + api::vendor_text(who) + " (REST API v" +
                          std::to_string(cfg.api_version) + ", " + cfg.auth + " auth)");
  }
  return unexpected(name, r,
                    cfg.auth == "bearer"
                        ? "set jira.token to a valid personal access token (auth: bearer)"
                        : "set jira.email and jira.token to the account's email and an API "
                          "token (id.atlassian.com > Security > API tokens)");
}

check_line read_project(const reply& r, const config::jira_config& cfg) {
  const std::string name(project_check);
  const json body = ok_json(r);
  if (body.is_object())
    return pass(name, cfg.project_key + " (" +
                          api::vendor_text(api::string_at(body, "name").value_or("?")) + ")");
  if (r && r->status == 404)
    return fail(name, "no project " + cfg.project_key + " is visible to the bot",
                "set jira.project_key to an existing project key, and give the bot Browse "
                "Projects and Create Issues in it");
  return unexpected(name, r, "check jira.project_key");
}

// The statuses entry of the configured issue type, or nullptr.
const json* issue_type_entry(const json& statuses, const std::string& issue_type) {
  if (!statuses.is_array()) return nullptr;
  for (const json& entry : statuses)
    if (api::string_at(entry, "name") == issue_type) return &entry;
  return nullptr;
}

check_line read_issue_type(const json& statuses, const config::jira_config& cfg) {
  const std::string name(issue_type_check);
  if (issue_type_entry(statuses, cfg.issue_type) != nullptr)
    return pass(name, cfg.issue_type + " exists in " + cfg.project_key);
  std::vector<std::string> names;
  for (const json& entry : statuses)
    names.push_back(api::string_at(entry, "name").value_or("?"));
  return fail(name,
              "no issue type " + cfg.issue_type + " in " + cfg.project_key +
                  " (it has: " + api::vendor_text(comma_list(names)) + ")",
              "set jira.issue_type to one of them, or add the type to the project's scheme");
}

check_line read_done(const json& statuses, const config::jira_config& cfg) {
  const std::string name(done_check);
  std::vector<std::string> seen;
  if (const json* entry = issue_type_entry(statuses, cfg.issue_type))
    if (const json* list = api::array_at(*entry, "statuses"))
      for (const json& status : *list) {
        const std::string status_name = api::string_at(status, "name").value_or("?");
        const json* category = api::object_at(status, "statusCategory");
        if (category != nullptr && api::string_at(*category, "key") == "done")
          return pass(name, "the " + cfg.issue_type + " workflow has " +
                                api::vendor_text(status_name) + " (category done)");
        seen.push_back(status_name);
      }
  return fail(name,
              "no status of the " + cfg.issue_type + " workflow is in category done (it has: " +
                  api::vendor_text(comma_list(seen)) + ")",
              "add a done-category status to the workflow, or use another jira.issue_type");
}

check_line read_priorities(const reply& r, const config::jira_config& cfg) {
  const std::string name(priority_check);
  const json body = ok_json(r);
  if (!body.is_array()) return unexpected(name, r, "check jira.url and the bot's permissions");
  std::set<std::string> known;
  for (const json& p : body)
    if (auto n = api::string_at(p, "name")) known.insert(*n);
  std::vector<std::string> bad;
  std::set<std::string> used;
  for (const auto& [key, value] : cfg.priority_map) {
    used.insert(value);
    if (!known.contains(value)) bad.push_back(key + ": " + value);
  }
  if (bad.empty())
    return pass(name,
                "every value is a Jira priority (" + comma_list({used.begin(), used.end()}) + ")");
  return fail(name, "not Jira priorities: " + comma_list(bad),
              "use names Jira has (" + api::vendor_text(comma_list({known.begin(), known.end()})) +
                  ") in jira.priority_map");
}

}  // namespace

api::jira_endpoint jira_endpoint_of(const config::jira_config& cfg) {
  return {cfg.url, cfg.api_version == 2 ? api::jira_api_version::v2 : api::jira_api_version::v3,
          cfg.auth == "bearer" ? api::jira_auth::bearer : api::jira_auth::basic, cfg.email,
          cfg.token};
}

api::http_call jira_myself(const config::jira_config& cfg) {
  return api::jira_get(jira_endpoint_of(cfg), "/myself");
}
api::http_call jira_project(const config::jira_config& cfg) {
  return api::jira_get(jira_endpoint_of(cfg), "/project/" + util::percent_encode(cfg.project_key));
}
api::http_call jira_project_statuses(const config::jira_config& cfg) {
  return api::jira_get(jira_endpoint_of(cfg),
                       "/project/" + util::percent_encode(cfg.project_key) + "/statuses");
}
api::http_call jira_priorities(const config::jira_config& cfg) {
  return api::jira_get(jira_endpoint_of(cfg), "/priority");
}

std::vector<check_line> read_jira(const jira_replies& r, const config::jira_config& cfg) {
  std::vector<check_line> out{read_credentials(r.myself, cfg)};
  if (!out.front().ok) {
    for (auto name : {project_check, issue_type_check, priority_check, done_check})
      out.push_back(not_checked(std::string(name), credentials_check));
    return out;
  }
  out.push_back(read_project(r.project, cfg));
  const json statuses = ok_json(r.statuses);
  if (!out.back().ok) {
    out.push_back(not_checked(std::string(issue_type_check), project_check));
  } else if (!statuses.is_array()) {
    out.push_back(unexpected(std::string(issue_type_check), r.statuses, "check jira.project_key"));
  } else {
    out.push_back(read_issue_type(statuses, cfg));
  }
  const bool type_ok = out.back().ok;
  out.push_back(read_priorities(r.priorities, cfg));
  out.push_back(type_ok ? read_done(statuses, cfg)
                        : not_checked(std::string(done_check), issue_type_check));
  return out;
}

}  // namespace warroom::doctor
