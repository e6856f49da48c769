#include "mattermost_fake.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <utility>

#include "mm_api.hpp"
#include "mm_commands.hpp"
#include "mm_jira_http.hpp"

namespace warroom::sim {

namespace {

using mm::json;

struct route {
  std::string_view method;
  std::string_view pattern;  // below /api/v4
  net::response (*handler)(mm::world&, const mm::call&);
};

constexpr std::array routes = {
    route{"POST", "channels", mm::create_channel},
    route{"GET", "channels/{}", mm::get_channel},
    route{"DELETE", "channels/{}", mm::archive_channel},
    route{"POST", "channels/{}/restore", mm::restore_channel},
    route{"GET", "channels/{}/members", mm::list_members},
    route{"POST", "channels/{}/members", mm::add_member},
    route{"GET", "channels/{}/posts", mm::list_posts},
    route{"GET", "teams/{}", mm::get_team},
    route{"GET", "teams/{}/channels/name/{}", mm::get_channel_by_name},
    route{"GET", "teams/{}/members/{}", mm::get_team_member},
    route{"GET", "roles/name/{}", mm::get_role_by_name},
    route{"GET", "users/{}", mm::get_user},
    route{"GET", "users/email/{}", mm::get_user_by_email},
    route{"GET", "users/username/{}", mm::get_user_by_username},
    route{"POST", "users/usernames", mm::get_users_by_usernames},
    route{"POST", "posts", mm::create_post},
    route{"GET", "posts/{}", mm::get_post},
    route{"PUT", "posts/{}/patch", mm::patch_post},
};

std::string lowercase(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return text;
}

result<mm::user> parse_seed_user(const json& entry) {
  if (!entry.is_object() || !mm::is_valid_id(string_at(entry, "id")) ||
      string_at(entry, "username").empty())
    return make_error("bad_request", "mattermost seed: each user needs a valid id and username");
  const auto on_team = entry.value("on_team", json(true));
  if (!on_team.is_boolean())
    return make_error("bad_request", "mattermost seed: on_team must be a boolean");
  mm::user u{string_at(entry, "id"), string_at(entry, "username"),
             lowercase(string_at(entry, "email")), on_team.get<bool>()};
  if (entry.contains("roles")) u.roles = string_at(entry, "roles");
  if (entry.contains("team_roles")) u.team_roles = string_at(entry, "team_roles");
  return u;
}

result<void> check_seed(const json& data) {
  if (!data.is_object()) return make_error("bad_request", "mattermost seed must be an object");
  for (const auto& [key, value] : data.items()) {
    if (key == "token" && value.is_string()) continue;
    if (key == "bot_user_id" && mm::is_valid_id(string_at(data, key))) continue;
    if (key == "team" && mm::is_valid_id(string_at(value, "id"))) continue;
    if (key == "other_teams" && value.is_array() &&
        std::all_of(value.begin(), value.end(),
                    [](const json& t) { return mm::is_valid_id(string_at(t, "id")); }))
      continue;
    if (key == "users" && value.is_array()) continue;
    if (key == "roles" && value.is_object() &&
        std::all_of(value.begin(), value.end(), [](const json& perms) {
          return perms.is_array() && std::all_of(perms.begin(), perms.end(),
                                                 [](const json& p) { return p.is_string(); });
        }))
      continue;
    return make_error("bad_request", "mattermost seed: invalid or unknown key '" + key + "'");
  }
  return {};
}

}  // namespace

bool mattermost_fake::authenticated(const net::request& req) const {
  // ParseAuthTokenFromRequest: "Bearer <token>" or "Token <token>" (any case), or ?access_token=.
  std::string token;
  if (const auto header = req.header_value("Authorization")) {
    for (std::string_view scheme : {"bearer ", "token "})
      if (header->size() > scheme.size() && iequals(header->substr(0, scheme.size()), scheme))
        token = std::string(header->substr(scheme.size()));
  } else if (const auto param = query_param(req.query(), "access_token")) {
    token = *param;
  }
  return !world_.token.empty() && token == world_.token;
}

net::response mattermost_fake::handle(const net::request& req, std::int64_t now_ms) {
  auto segments = path_segments(req.path());
  // A command's response_url: the hook id is the credential, no session needed.
  if (req.method == "POST" && segments.size() == 3 && segments[0] == "hooks" &&
      segments[1] == "commands")
    return mm::answer_command_hook(world_, segments[2], req.body, now_ms);
  const bool api = segments.size() > 2 && segments[0] == "api" && segments[1] == "v4";
  if (!api)
    return world_.app_error(404, "api.context.404.app_error", "Sorry, we could not find the page.");
  segments.erase(segments.begin(), segments.begin() + 2);
  if (!authenticated(req))
    return world_.app_error(401, "api.context.session_expired.app_error",
                            "Invalid or expired session, please login again.");
  for (const route& r : routes) {
    if (r.method != req.method) continue;
    auto params = match_route(r.pattern, segments);
    if (!params) continue;
    const mm::call call{req, std::move(*params), parse_json(req.body), now_ms};
    return r.handler(world_, call);
  }
  return world_.app_error(404, "api.context.404.app_error", "Sorry, we could not find the page.");
}

result<void> mattermost_fake::seed(const nlohmann::json& data) {
  if (auto ok = check_seed(data); !ok) return ok;
  std::vector<mm::user> users;
  for (const json& entry : data.value("users", json::array())) {
    auto u = parse_seed_user(entry);
    if (!u) return u.error();
    users.push_back(std::move(*u));
  }
  if (data.contains("token")) world_.token = data["token"].get<std::string>();
  if (data.contains("bot_user_id")) world_.bot_user_id = data["bot_user_id"].get<std::string>();
  if (data.contains("team")) {
    world_.team_id = string_at(data["team"], "id");
    world_.team_name = string_at(data["team"], "name");
  }
  const json roles = data.value("roles", json::object());  // items() must not outlive it
  for (const auto& [role, permissions] : roles.items())
    world_.role_permissions[role] = permissions.get<std::vector<std::string>>();
  const json other_teams = data.value("other_teams", json::array());
  for (const json& t : other_teams)
    world_.other_teams[string_at(t, "id")] = string_at(t, "name");
  for (auto& u : users) {
    if (mm::user* existing = world_.find_user(u.id))
      *existing = std::move(u);
    else
      world_.users.push_back(std::move(u));
  }
  return {};
}

nlohmann::json mattermost_fake::state() const {
  json users = json::array();
  for (const auto& u : world_.users) {
    users.push_back(mm::to_json(u, world_.bot_user_id));
    users.back()["on_team"] = u.on_team;
    users.back()["team_roles"] = u.team_roles;
  }
  json channels = json::array();
  for (const auto& c : world_.channels)
    channels.push_back(mm::to_json(c));
  json clicks = json::array();
  for (const auto& c : world_.clicks)
    clicks.push_back({{"post_id", c.post_id},
                      {"action_id", c.action_id},
                      {"user_id", c.user_id},
                      {"status", c.status},
                      {"integration_status", c.integration_status},
                      {"error", c.error},
                      {"ephemeral_text", c.ephemeral_text}});
  json other_teams = json::array();
  for (const auto& [id, name] : world_.other_teams)
    other_teams.push_back({{"id", id}, {"name", name}});
  return {{"team", {{"id", world_.team_id}, {"name", world_.team_name}}},
          {"other_teams", std::move(other_teams)},
          {"bot_user_id", world_.bot_user_id},
          {"users", std::move(users)},
          {"roles", world_.role_permissions},
          {"channels", std::move(channels)},
          {"members", world_.members},
          {"posts", world_.posts},
          {"clicks", std::move(clicks)},
          {"ephemeral_posts", world_.ephemeral_posts},
          {"commands", world_.commands},
          {"unopenable_names", world_.unopenable_names},
          {"unclickable_actions", world_.unclickable_actions}};
}

result<nlohmann::json> mattermost_fake::control(std::string_view verb, const nlohmann::json& args,
                                                std::int64_t now_ms) {
  if (verb == "click") return mm::start_click(world_, args, now_ms);
  if (verb == "command") return mm::start_command(world_, args, now_ms);
  return make_error("bad_request", "mattermost: unknown control verb '" + std::string(verb) + "'");
}

std::vector<outbound> mattermost_fake::take_outbox() {
  return std::exchange(world_.outbox, {});
}

void mattermost_fake::on_outbound_reply(const outbound& sent, const api::http_reply& reply,
                                        std::int64_t now_ms) {
  if (sent.purpose == "action") mm::finish_click(world_, sent, reply, now_ms);
  if (sent.purpose == "command") mm::finish_command(world_, sent, reply, now_ms);
}

}  // namespace warroom::sim
