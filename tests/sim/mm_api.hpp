// warroom-sim: the Mattermost fake's endpoint handlers (one function per API v4 operation), the
// post-props rules shared by posts and button clicks, and the click flow. Each handler answers
// exactly like a Mattermost server would for the request described by `call`: same status, same
// AppError id. Called by mattermost_fake after authentication; single-threaded.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include <warroom/api/http_call.hpp>
#include <warroom/net/message.hpp>
#include <warroom/util/result.hpp>

#include "mm_model.hpp"

namespace warroom::sim::mm {

/// One authenticated API request: the "{}" captures of its route and its parsed JSON body
/// (discarded when absent or not JSON).
struct call {
  const net::request& req;
  std::vector<std::string> params;
  json body;
  std::int64_t now_ms = 0;
};

// Channels, members, users, teams (mm_channels.cpp).
net::response create_channel(world& w, const call& c);
net::response get_channel(world& w, const call& c);
net::response archive_channel(world& w, const call& c);
net::response restore_channel(world& w, const call& c);
net::response get_channel_by_name(world& w, const call& c);
net::response list_members(world& w, const call& c);
net::response add_member(world& w, const call& c);
net::response get_team(world& w, const call& c);
net::response get_user(world& w, const call& c);
net::response get_user_by_email(world& w, const call& c);
net::response get_user_by_username(world& w, const call& c);
net::response get_users_by_usernames(world& w, const call& c);

// Team membership and roles (mm_roles.cpp).
net::response get_team_member(world& w, const call& c);
net::response get_role_by_name(world& w, const call& c);

// Posts (mm_posts.cpp).
net::response create_post(world& w, const call& c);
net::response get_post(world& w, const call& c);
net::response patch_post(world& w, const call& c);
net::response list_posts(world& w, const call& c);

/// Post.IsValid for the fields a create, a patch or a click's update sets (`message` null:
/// not set; `props` null: not set). nullopt when valid.
std::optional<app_problem> post_fields_problem(const json& message, const json* props);
/// What the server does to actions of a post it stores: ids generated where missing
/// (GenerateActionIds); ids that the click route cannot match are recorded as unclickable.
void normalize_actions(world& w, json& post);

// Button clicks (mm_click.cpp).
/// Control verb "click" {"post_id","action_id","user_id"[,"selected_option"]}: queues the action
/// request to the integration URL, or records why Mattermost would refuse the click.
result<json> start_click(world& w, const json& args, std::int64_t now_ms);
/// Applies the integration's answer to a click started by start_click.
void finish_click(world& w, const outbound& sent, const api::http_reply& reply,
                  std::int64_t now_ms);

}  // namespace warroom::sim::mm
