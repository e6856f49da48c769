#include <cctype>

#include <nlohmann/json.hpp>

#include <warroom/api/jira.hpp>
#include <warroom/api/jira_adf.hpp>
#include <warroom/api/vendor_error.hpp>

namespace warroom::api {
namespace {

using nlohmann::json;

std::string base64(std::string_view in) {
  static constexpr char alphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  out.reserve((in.size() + 2) / 3 * 4);
  std::size_t i = 0;
  for (; i + 2 < in.size(); i += 3) {
    const unsigned n = static_cast<unsigned char>(in[i]) << 16 |
                       static_cast<unsigned char>(in[i + 1]) << 8 |
                       static_cast<unsigned char>(in[i + 2]);
    out += alphabet[n >> 18 & 63];
    out += alphabet[n >> 12 & 63];
    out += alphabet[n >> 6 & 63];
    out += alphabet[n & 63];
  }
  if (i < in.size()) {
    const bool two = i + 1 < in.size();
    const unsigned n = static_cast<unsigned char>(in[i]) << 16 |
                       (two ? static_cast<unsigned char>(in[i + 1]) << 8 : 0U);
    out += alphabet[n >> 18 & 63];
    out += alphabet[n >> 12 & 63];
    out += two ? alphabet[n >> 6 & 63] : '=';
    out += '=';
  }
  return out;
}

std::string authorization(const jira_endpoint& ep) {
  if (ep.auth == jira_auth::bearer) return "Bearer " + std::string(ep.token.reveal());
  return "Basic " + base64(ep.email + ":" + std::string(ep.token.reveal()));
}

bool v3(const jira_endpoint& ep) {
  return ep.api_version == jira_api_version::v3;
}

// "{base path}/rest/api/{2|3}" + suffix.
std::string api_path(const jira_endpoint& ep, std::string_view suffix) {
  return ep.base.path + "/rest/api/" + (v3(ep) ? "3" : "2") + std::string(suffix);
}

std::string issue_path(const jira_endpoint& ep, std::string_view key, std::string_view tail = {}) {
  return api_path(ep, "/issue/" + util::percent_encode(key) + std::string(tail));
}

http_call make_call(const jira_endpoint& ep, http_method method, std::string target,
                    const json* body = nullptr) {
  http_call call;
  call.method = method;
  call.origin = ep.base.origin();
  call.target = std::move(target);
  call.headers.push_back({"Authorization", authorization(ep)});
  call.headers.push_back({"Accept", "application/json"});
  if (body != nullptr) {
    call.headers.push_back({"Content-Type", "application/json"});
    call.body = to_body(*body);
  }
  return call;
}

// Rich text: ADF on v3, a string (wiki markup) on v2.
json rich_text(const jira_endpoint& ep, std::string_view text, std::string_view link_text = {},
               std::string_view link_url = {}) {
  if (v3(ep)) return jira_adf_document(text, link_text, link_url);
  return jira_wiki_text(text, link_text, link_url);
}

// A JQL string literal: double quotes, with '"' and '\' escaped.
std::string jql_string(std::string_view value) {
  std::string out = "\"";
  for (char c : value) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

result<void> require(std::string_view value, std::string_view what) {
  if (!value.empty()) return {};
  return make_error("invalid_argument", "jira: " + std::string(what) + " must not be empty");
}

}  // namespace

result<void> jira_check_label(std::string_view label) {
  if (label.empty()) return make_error("invalid_argument", "jira: a label must not be empty");
  for (unsigned char c : label) {
    if (std::isspace(c) || std::iscntrl(c))
      return make_error("invalid_argument", "jira: label '" + std::string(label) +
                                                "' contains whitespace, which Jira rejects");
  }
  return {};
}

result<http_call> jira_create_issue(const jira_endpoint& ep, const jira_issue_fields& fields) {
  for (const auto& [value, what] :
       {std::pair{&fields.project_key, "project key"}, std::pair{&fields.issue_type, "issue type"},
        std::pair{&fields.summary, "summary"}}) {
    if (auto ok = require(*value, what); !ok) return ok.error();
  }
  for (const auto& label : fields.labels)
    if (auto ok = jira_check_label(label); !ok) return ok.error();

  json f = {
      {"project", {{"key", fields.project_key}}},
      {"issuetype", {{"name", fields.issue_type}}},
      {"summary", fields.summary},
      {"description", rich_text(ep, fields.description_text, fields.link_text, fields.link_url)},
      {"labels", fields.labels}};
  if (fields.priority) f["priority"] = {{"name", *fields.priority}};
  const json body = {{"fields", std::move(f)}};
  return make_call(ep, http_method::post, api_path(ep, "/issue"), &body);
}

result<http_call> jira_search_issues_by_label(const jira_endpoint& ep, std::string_view project_key,
                                              std::string_view label) {
  if (auto ok = require(project_key, "project key"); !ok) return ok.error();
  if (auto ok = jira_check_label(label); !ok) return ok.error();
  const std::string jql = "project = " + jql_string(project_key) +
                          " AND labels = " + jql_string(label) + " ORDER BY created ASC";
  // v3's /search is being removed from Cloud; /search/jql replaces it. Data Center only has v2.
  const std::string path = api_path(ep, v3(ep) ? "/search/jql" : "/search");
  return make_call(
      ep, http_method::get,
      path + "?jql=" + util::percent_encode(jql) + "&fields=status,summary&maxResults=10");
}

http_call jira_get_issue_status(const jira_endpoint& ep, std::string_view issue_key) {
  return make_call(ep, http_method::get, issue_path(ep, issue_key, "?fields=status"));
}

http_call jira_list_transitions(const jira_endpoint& ep, std::string_view issue_key) {
  return make_call(ep, http_method::get, issue_path(ep, issue_key, "/transitions"));
}

http_call jira_perform_transition(const jira_endpoint& ep, std::string_view issue_key,
                                  std::string_view transition_id,
                                  std::optional<std::string_view> comment) {
  json body = {{"transition", {{"id", transition_id}}}};
  if (comment)
    body["update"] = {{"comment", json::array({{{"add", {{"body", rich_text(ep, *comment)}}}}})}};
  return make_call(ep, http_method::post, issue_path(ep, issue_key, "/transitions"), &body);
}

http_call jira_add_remote_link(const jira_endpoint& ep, std::string_view issue_key,
                               const jira_remote_link& link) {
  const json body = {{"globalId", link.global_id},
                     {"application", {{"type", "com.pagerduty"}, {"name", "PagerDuty"}}},
                     {"relationship", "PagerDuty incident"},
                     {"object",
                      {{"url", link.url},
                       {"title", link.title},
                       {"summary", link.summary},
                       {"status", {{"resolved", link.resolved}}}}}};
  return make_call(ep, http_method::post, issue_path(ep, issue_key, "/remotelink"), &body);
}

std::string jira_remote_link_global_id(std::string_view pagerduty_incident_id) {
  return "pagerduty-incident=" + std::string(pagerduty_incident_id);
}

http_call jira_add_comment(const jira_endpoint& ep, std::string_view issue_key,
                           std::string_view text) {
  const json body = {{"body", rich_text(ep, text)}};
  return make_call(ep, http_method::post, issue_path(ep, issue_key, "/comment"), &body);
}

http_call jira_update_priority(const jira_endpoint& ep, std::string_view issue_key,
                               std::string_view priority_name) {
  const json body = {{"fields", {{"priority", {{"name", priority_name}}}}}};
  return make_call(ep, http_method::put, issue_path(ep, issue_key), &body);
}

http_call jira_get(const jira_endpoint& ep, std::string_view suffix) {
  return make_call(ep, http_method::get, api_path(ep, suffix));
}

std::optional<std::string> priority_for(const std::map<std::string, std::string>& priority_map,
                                        std::optional<std::string_view> pd_priority_name,
                                        std::string_view urgency) {
  for (std::optional<std::string_view> key : {pd_priority_name, std::optional(urgency)}) {
    if (!key || key->empty()) continue;
    if (auto it = priority_map.find(std::string(*key)); it != priority_map.end()) return it->second;
  }
  return std::nullopt;
}

}  // namespace warroom::api
