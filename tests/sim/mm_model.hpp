// warroom-sim: the Mattermost fake's data (team, users, channels, members, posts, clicks) and the
// pieces every Mattermost endpoint shares: ids, AppError bodies, JSON shapes of API objects.
// Owned by one mattermost_fake; single-threaded like the simulator that drives it.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include <warroom/net/message.hpp>

#include "service.hpp"

namespace warroom::sim::mm {

using nlohmann::json;

struct user {
  std::string id;
  std::string username;
  std::string email;
  bool on_team = true;
  std::string roles = "system_user";     // system roles, space-separated (User.roles)
  std::string team_roles = "team_user";  // roles on the team (TeamMember.roles)
};

struct channel {
  std::string id;
  std::string team_id;
  std::string name;
  std::string display_name;
  std::string type;  // "O" or "P"
  std::string purpose;
  std::string header;
  std::string creator_id;
  std::int64_t create_at = 0;
  std::int64_t update_at = 0;
  std::int64_t delete_at = 0;  // archived when non-zero
};

/// One button click started through the control API and what came of it.
struct click {
  std::string post_id;
  std::string action_id;
  std::string user_id;
  unsigned status = 0;              // what Mattermost answered the clicking user; 0 = pending
  unsigned integration_status = 0;  // the integration's HTTP status; 0 = none / undelivered
  std::string error;                // AppError id given to the user, "" on success
  std::string ephemeral_text;
};

/// An AppError to answer: HTTP status, error id, English message.
struct app_problem {
  unsigned status = 400;
  std::string id;
  std::string message;
};

struct world {
  std::string token;
  std::string site_url = "http://mattermost.invalid";  // the fake's own URL, for response_url
  std::string team_id;
  std::string team_name;
  std::map<std::string, std::string>
      other_teams;  // id → name; the bot and on_team users are on them too
  std::string bot_user_id;
  std::vector<user> users;
  std::vector<channel> channels;                            // creation order
  std::map<std::string, std::vector<std::string>> members;  // channel id → user ids, join order
  std::vector<json> posts;                                  // as stored: integrations kept
  std::vector<click> clicks;
  std::vector<json> ephemeral_posts;
  std::vector<json> commands;                 // typed slash commands and the integration's answers
  std::vector<std::string> unopenable_names;  // 26-character channel names (see NOTES §3.2)
  std::vector<json> unclickable_actions;      // {post_id, action_id} not matching [A-Za-z0-9]+
  std::vector<outbound> outbox;
  std::uint64_t ids_issued = 0;
  /// Role name → permissions (GET /roles/name/{name}); Mattermost's stock roles, trimmed to
  /// the permissions warroom cares about, unless seeded otherwise.
  std::map<std::string, std::vector<std::string>> role_permissions = default_role_permissions();

  static std::map<std::string, std::vector<std::string>> default_role_permissions();

  /// A fresh 26-character id in Mattermost's base32 alphabet; deterministic per fake.
  std::string new_id();
  /// A Mattermost AppError answer: {"id","message","detailed_error","request_id","status_code"}.
  net::response app_error(unsigned status, std::string_view id, std::string_view message);
  net::response app_error(const app_problem& problem) {
    return app_error(problem.status, problem.id, problem.message);
  }

  /// The name of the team `id` (the main one or another); nullptr when there is no such team.
  const std::string* team_name_of(std::string_view id) const;
  user* find_user(std::string_view id);
  channel* find_channel(std::string_view id);
  channel* find_channel_by_name(std::string_view team_id, std::string_view name);
  json* find_post(std::string_view id);
  bool is_member(std::string_view channel_id, std::string_view user_id) const;
  /// Adds the membership unless it exists; true when it was added.
  bool add_member(const std::string& channel_id, const std::string& user_id);
};

/// 400 api.context.invalid_url_param.app_error for the named URL parameter.
net::response invalid_url_param(world& w, std::string_view name);
/// 400 api.context.invalid_body_param.app_error for the named body parameter.
net::response invalid_body_param(world& w, std::string_view name);
/// 403 api.context.permissions.app_error.
net::response permission_denied(world& w);

/// Mattermost's IsValidId: 26 characters, ASCII letters and digits.
bool is_valid_id(std::string_view id);

/// What the click route accepts as an action id: [A-Za-z0-9]+ (NOTES §3.4).
bool is_routable_action_id(std::string_view id);

json to_json(const user& u, std::string_view bot_user_id);
json to_json(const channel& c);
json member_json(std::string_view channel_id, std::string_view user_id);
/// A post as API clients see it: every action's `integration` removed (its context is secret).
json client_post(const json& stored);

}  // namespace warroom::sim::mm
