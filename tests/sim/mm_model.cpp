#include "mm_model.hpp"

#include <algorithm>
#include <cctype>

#include "mm_jira_http.hpp"

namespace warroom::sim::mm {

namespace {

std::uint64_t splitmix64(std::uint64_t x) {
  x += 0x9E3779B97F4A7C15ULL;
  x = (x ^ (x >> 30U)) * 0xBF58476D1CE4E5B9ULL;
  x = (x ^ (x >> 27U)) * 0x94D049BB133111EBULL;
  return x ^ (x >> 31U);
}

bool all_alnum(std::string_view s) {
  return std::all_of(s.begin(), s.end(),
                     [](char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0; });
}

}  // namespace

std::string world::new_id() {
  // Same alphabet as model.NewId (base32 of 16 bytes, unpadded → 26 characters).
  static constexpr std::string_view alphabet = "ybndrfg8ejkmcpqxot1uwisza345h769";
  ++ids_issued;
  const std::uint64_t hi = splitmix64(ids_issued);
  const std::uint64_t lo = splitmix64(hi ^ ids_issued);
  std::string id;
  for (int i = 0; i < 26; ++i) {
    const int bit = i * 5;  // 130 bits drawn from a 128-bit value; the top two are zero
    const std::uint64_t word = bit < 64 ? hi : lo;
    const int shift = bit < 64 ? 59 - bit : 59 - (bit - 64);
    const auto v = shift >= 0 ? (word >> shift) : (word << -shift);
    id += alphabet[v & 0x1FU];
  }
  return id;
}

net::response world::app_error(unsigned status, std::string_view id, std::string_view message) {
  const std::string request_id = new_id();
  auto r = json_reply(status, {{"id", id},
                               {"message", message},
                               {"detailed_error", ""},
                               {"request_id", request_id},
                               {"status_code", status}});
  r.set_header("X-Request-Id", request_id);
  return r;
}

std::map<std::string, std::vector<std::string>> world::default_role_permissions() {
  return {{"system_user",
           {"create_direct_channel", "create_group_channel", "create_team", "list_public_teams",
            "join_public_teams", "view_members"}},
          {"system_admin",
           {"manage_system", "create_public_channel", "create_private_channel", "create_post",
            "manage_team", "view_members"}},
          {"team_user",
           {"view_team", "list_team_channels", "join_public_channels", "read_public_channel",
            "create_public_channel", "create_private_channel", "add_user_to_team"}},
          {"team_admin", {"manage_team", "manage_public_channel_members"}}};
}

user* world::find_user(std::string_view id) {
  auto it = std::find_if(users.begin(), users.end(), [&](const user& u) { return u.id == id; });
  return it == users.end() ? nullptr : &*it;
}

channel* world::find_channel(std::string_view id) {
  auto it =
      std::find_if(channels.begin(), channels.end(), [&](const channel& c) { return c.id == id; });
  return it == channels.end() ? nullptr : &*it;
}

const std::string* world::team_name_of(std::string_view id) const {
  if (!team_id.empty() && id == team_id) return &team_name;
  const auto it = other_teams.find(std::string(id));
  return it == other_teams.end() ? nullptr : &it->second;
}

channel* world::find_channel_by_name(std::string_view team, std::string_view name) {
  auto it = std::find_if(channels.begin(), channels.end(),
                         [&](const channel& c) { return c.team_id == team && c.name == name; });
  return it == channels.end() ? nullptr : &*it;
}

json* world::find_post(std::string_view id) {
  auto it = std::find_if(posts.begin(), posts.end(),
                         [&](const json& p) { return string_at(p, "id") == id; });
  return it == posts.end() ? nullptr : &*it;
}

bool world::is_member(std::string_view channel_id, std::string_view user_id) const {
  const auto it = members.find(std::string(channel_id));
  return it != members.end() &&
         std::find(it->second.begin(), it->second.end(), user_id) != it->second.end();
}

bool world::add_member(const std::string& channel_id, const std::string& user_id) {
  if (is_member(channel_id, user_id)) return false;
  members[channel_id].push_back(user_id);
  return true;
}

net::response invalid_url_param(world& w, std::string_view name) {
  return w.app_error(400, "api.context.invalid_url_param.app_error",
                     "Invalid or missing " + std::string(name) + " parameter in request URL.");
}

net::response invalid_body_param(world& w, std::string_view name) {
  return w.app_error(400, "api.context.invalid_body_param.app_error",
                     "Invalid or missing " + std::string(name) + " in request body.");
}

net::response permission_denied(world& w) {
  return w.app_error(403, "api.context.permissions.app_error",
                     "You do not have the appropriate permissions.");
}

bool is_valid_id(std::string_view id) {
  return id.size() == 26 && all_alnum(id);
}

bool is_routable_action_id(std::string_view id) {
  return !id.empty() && all_alnum(id);
}

json to_json(const user& u, std::string_view bot_user_id) {
  return {{"id", u.id},
          {"create_at", 0},
          {"update_at", 0},
          {"delete_at", 0},
          {"username", u.username},
          {"auth_data", ""},
          {"auth_service", ""},
          {"email", u.email},
          {"nickname", ""},
          {"first_name", ""},
          {"last_name", ""},
          {"position", ""},
          {"roles", u.roles},
          {"locale", "en"},
          {"is_bot", u.id == bot_user_id}};
}

json to_json(const channel& c) {
  return {{"id", c.id},
          {"create_at", c.create_at},
          {"update_at", c.update_at},
          {"delete_at", c.delete_at},
          {"team_id", c.team_id},
          {"type", c.type},
          {"display_name", c.display_name},
          {"name", c.name},
          {"header", c.header},
          {"purpose", c.purpose},
          {"last_post_at", 0},
          {"total_msg_count", 0},
          {"extra_update_at", 0},
          {"creator_id", c.creator_id},
          {"scheme_id", nullptr},
          {"props", nullptr},
          {"group_constrained", nullptr},
          {"shared", nullptr},
          {"total_msg_count_root", 0},
          {"policy_id", nullptr},
          {"last_root_post_at", 0}};
}

json member_json(std::string_view channel_id, std::string_view user_id) {
  return {{"channel_id", channel_id},
          {"user_id", user_id},
          {"roles", "channel_user"},
          {"last_viewed_at", 0},
          {"msg_count", 0},
          {"mention_count", 0},
          {"notify_props",
           {{"desktop", "default"},
            {"email", "default"},
            {"ignore_channel_mentions", "default"},
            {"mark_unread", "all"},
            {"push", "default"}}},
          {"last_update_at", 0},
          {"scheme_guest", false},
          {"scheme_user", true},
          {"scheme_admin", false},
          {"explicit_roles", ""}};
}

json client_post(const json& stored) {
  json post = stored;
  auto props = post.find("props");
  if (props == post.end() || !props->is_object()) return post;
  auto attachments = props->find("attachments");
  if (attachments == props->end() || !attachments->is_array()) return post;
  for (auto& attachment : *attachments) {
    if (!attachment.is_object() || !attachment.contains("actions")) continue;
    auto& actions = attachment["actions"];
    if (!actions.is_array()) continue;
    for (auto& action : actions)
      if (action.is_object()) action.erase("integration");
  }
  return post;
}

}  // namespace warroom::sim::mm
