#include "jira_model.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <utility>

#include "mm_jira_http.hpp"

namespace warroom::sim::jira {

world::world() {
  // Ids and names of the categories as a real server reports them
  // (statuscategories-sample-server.json).
  statuses = {{"10000", "To Do", 2, "new", "blue-gray", "To Do"},
              {"10001", "In Progress", 4, "indeterminate", "yellow", "In Progress"},
              {"10002", "Done", 3, "done", "green", "Done"}};
  transitions = {{"11", "To Do", 0}, {"21", "In Progress", 1}, {"31", "Done", 2}};
}

const project* world::find_project(std::string_view key_or_id) const {
  auto it = std::find_if(projects.begin(), projects.end(),
                         [&](const project& p) { return p.key == key_or_id || p.id == key_or_id; });
  return it == projects.end() ? nullptr : &*it;
}

project* world::find_project(std::string_view key_or_id) {
  return const_cast<project*>(std::as_const(*this).find_project(key_or_id));
}

issue* world::find_issue(std::string_view id_or_key) {
  auto it = std::find_if(issues.begin(), issues.end(), [&](const issue& i) {
    return i.id == id_or_key || iequals(i.key, id_or_key);
  });
  return it == issues.end() ? nullptr : &*it;
}

net::response jira_error(unsigned status, json messages, json errors) {
  return json_reply(status,
                    {{"errorMessages", std::move(messages)}, {"errors", std::move(errors)}});
}

net::response issue_missing() {
  return jira_error(404, {"Issue does not exist or you do not have permission to see it."});
}

std::string cannot_be_set(std::string_view field) {
  return "Field '" + std::string(field) +
         "' cannot be set. It is not on the appropriate screen, or unknown.";
}

std::string jira_time(std::int64_t unix_ms) {
  using namespace std::chrono;
  const sys_time<milliseconds> t{milliseconds(unix_ms)};
  const auto day = floor<days>(t);
  const year_month_day ymd{day};
  const hh_mm_ss hms{t - day};
  char out[40];
  std::snprintf(out, sizeof out, "%04d-%02u-%02uT%02d:%02d:%02d.%03d+0000",
                static_cast<int>(ymd.year()), static_cast<unsigned>(ymd.month()),
                static_cast<unsigned>(ymd.day()), static_cast<int>(hms.hours().count()),
                static_cast<int>(hms.minutes().count()), static_cast<int>(hms.seconds().count()),
                static_cast<int>(hms.subseconds().count()));
  return out;
}

bool is_adf_doc(const json& value) {
  return value.is_object() && value.value("type", json()) == "doc" &&
         value.value("version", json()) == 1 && value.contains("content") &&
         value["content"].is_array();
}

namespace {

void collect_text(const json& node, std::string& out) {
  if (!node.is_object()) return;
  if (string_at(node, "type") == "text") out += string_at(node, "text");
  if (const auto content = node.find("content"); content != node.end() && content->is_array())
    for (const json& child : *content)
      collect_text(child, out);
  if (string_at(node, "type") == "paragraph" && !out.empty() && out.back() != '\n') out += '\n';
}

}  // namespace

json rich_text_for(const json& stored, int version) {
  if (version == 3 && stored.is_string())
    return {{"type", "doc"},
            {"version", 1},
            {"content",
             {{{"type", "paragraph"}, {"content", {{{"type", "text"}, {"text", stored}}}}}}}};
  if (version == 2 && is_adf_doc(stored)) {
    std::string text;
    collect_text(stored, text);
    while (!text.empty() && text.back() == '\n')
      text.pop_back();
    return text;
  }
  return stored;
}

json select_fields(const json& all, const std::optional<std::string>& param,
                   std::string_view default_param) {
  const std::string text = param.value_or(std::string(default_param));
  json out = json::object();
  std::vector<std::string> excluded;
  std::string_view rest = text;
  while (!rest.empty()) {
    const auto comma = rest.find(',');
    const std::string name(rest.substr(0, comma));
    if (name == "*all" || name == "*navigable")
      out = all;
    else if (!name.empty() && name[0] == '-')
      excluded.push_back(name.substr(1));
    else if (all.contains(name))
      out[name] = all[name];
    if (comma == std::string_view::npos) break;
    rest.remove_prefix(comma + 1);
  }
  for (const auto& name : excluded)
    out.erase(name);
  return out;
}

json status_json(const status& s, std::string_view base) {
  const std::string b(base);
  return {{"self", b + "/status/" + s.id},
          {"description", ""},
          {"iconUrl", ""},
          {"name", s.name},
          {"id", s.id},
          {"statusCategory",
           {{"self", b + "/statuscategory/" + std::to_string(s.category_id)},
            {"id", s.category_id},
            {"key", s.category_key},
            {"colorName", s.category_colour},
            {"name", s.category_name}}}};
}

json issue_fields(const world& w, const issue& i, std::string_view base, int version) {
  const std::string b(base);
  const status& st = w.statuses.at(i.status);
  const project* p = w.find_project(i.project_key);
  json fields = {
      {"summary", i.summary},
      {"description", rich_text_for(i.description, version)},
      {"issuetype", {{"id", i.issue_type.id}, {"name", i.issue_type.name}}},
      {"project", {{"id", p ? p->id : ""}, {"key", i.project_key}}},
      {"status", status_json(st, base)},
      {"labels", i.labels},
      {"priority", i.priority ? json{{"self", b + "/priority/" + i.priority->id},
                                     {"id", i.priority->id},
                                     {"name", i.priority->name}}
                              : json()},
      {"resolution", st.category_key == "done" ? json{{"id", "10000"}, {"name", "Done"}} : json()},
      {"created", jira_time(i.created_ms)},
      {"updated", jira_time(i.updated_ms)}};
  return fields;
}

}  // namespace warroom::sim::jira
