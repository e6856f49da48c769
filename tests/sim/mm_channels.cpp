// Channels, channel members, users and the team, as model/channel.go, app/channel.go and
// api4/{channel,user}.go behave (NOTES §3.2, §3.3).
#include <algorithm>
#include <cctype>
#include <variant>

#include "mm_api.hpp"
#include "mm_jira_http.hpp"

namespace warroom::sim::mm {

namespace {

constexpr std::size_t channel_name_max_bytes = 64;
constexpr std::size_t display_name_max_runes = 64;
constexpr std::size_t purpose_max_runes = 250;
constexpr std::size_t header_max_runes = 1024;

// IsValidChannelIdentifier: ^[a-z0-9]+([a-z\-\_0-9]+|(__)?)[a-z0-9]*$, i.e. a lowercase
// alphanumeric first character and only [a-z0-9_-] after it.
bool is_channel_identifier(std::string_view name) {
  const auto allowed = [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
  };
  return !name.empty() && std::isalnum(static_cast<unsigned char>(name[0])) != 0 &&
         std::all_of(name.begin(), name.end(), allowed);
}

// Names reserved for group (40 hex characters) and direct (<id>__<id>) message channels.
bool is_reserved_dm_or_gm_name(std::string_view name) {
  if (name.size() == 40 && std::all_of(name.begin(), name.end(), [](char c) {
        return std::isxdigit(static_cast<unsigned char>(c)) != 0;
      }))
    return true;
  return name.size() == 54 && name.substr(26, 2) == "__" && is_valid_id(name.substr(0, 26)) &&
         is_valid_id(name.substr(28));
}

// Channel.IsValid, in the order the server checks.
std::optional<net::response> channel_problem(world& w, const channel& ch) {
  if (ch.display_name.empty() || rune_count(ch.display_name) > display_name_max_runes)
    return w.app_error(400, "model.channel.is_valid.display_name.app_error",
                       "Invalid display name.");
  // The current server has no explicit length check (NOTES §3.2: the 64-byte column limit);
  // older servers answered this id, which is also what the daemon handles.
  if (ch.name.size() > channel_name_max_bytes || is_reserved_dm_or_gm_name(ch.name))
    return w.app_error(400, "model.channel.is_valid.name.app_error", "Invalid channel name.");
  if (!is_channel_identifier(ch.name))
    return w.app_error(400, "model.channel.is_valid.1_or_more.app_error",
                       "Name must be 1 or more lowercase alphanumeric characters.");
  if (ch.type != "O" && ch.type != "P")
    return w.app_error(400, "model.channel.is_valid.type.app_error", "Invalid type.");
  if (rune_count(ch.header) > header_max_runes)
    return w.app_error(400, "model.channel.is_valid.header.app_error", "Invalid header.");
  if (rune_count(ch.purpose) > purpose_max_runes)
    return w.app_error(400, "model.channel.is_valid.purpose.app_error", "Invalid purpose.");
  return std::nullopt;
}

net::response channel_missing(world& w) {
  return w.app_error(404, "app.channel.get.existing.app_error",
                     "Unable to find the existing channel.");
}

net::response user_missing(world& w) {
  return w.app_error(404, "app.user.missing_account.const", "Unable to find the user.");
}

// The channel named by the first URL parameter, or the answer to give instead.
std::variant<channel*, net::response> channel_param(world& w, const call& c) {
  if (!is_valid_id(c.params.at(0))) return invalid_url_param(w, "channel_id");
  if (channel* ch = w.find_channel(c.params.at(0))) return ch;
  return channel_missing(w);
}

}  // namespace

net::response create_channel(world& w, const call& c) {
  if (!c.body.is_object()) return invalid_body_param(w, "channel");
  channel ch;
  ch.team_id = string_at(c.body, "team_id");
  ch.name = string_at(c.body, "name");
  ch.display_name = string_at(c.body, "display_name");
  ch.type = string_at(c.body, "type");
  ch.purpose = string_at(c.body, "purpose");
  ch.header = string_at(c.body, "header");
  // The create_{public,private}_channel permission is checked on the team first: a team the
  // bot is not on (or that does not exist) is a permission error, not a 404.
  if ((ch.type == "O" || ch.type == "P") && w.team_name_of(ch.team_id) == nullptr)
    return permission_denied(w);
  if (auto problem = channel_problem(w, ch)) return std::move(*problem);
  if (w.find_channel_by_name(ch.team_id, ch.name) != nullptr)  // archived ones included
    return w.app_error(400, "store.sql_channel.save_channel.exists.app_error",
                       "A channel with that name already exists on the same team.");
  ch.id = w.new_id();
  ch.creator_id = w.bot_user_id;
  ch.create_at = ch.update_at = c.now_ms;
  // Accepted by the server, but the webapp takes a 26-character name for an id and users cannot
  // open the channel by URL (NOTES §3.2): the daemon must never create one.
  if (ch.name.size() == 26) w.unopenable_names.push_back(ch.name);
  if (!w.bot_user_id.empty()) w.add_member(ch.id, w.bot_user_id);
  w.channels.push_back(ch);
  return json_reply(201, to_json(ch));
}

net::response get_channel(world& w, const call& c) {
  auto ch = channel_param(w, c);
  if (auto* answer = std::get_if<net::response>(&ch)) return std::move(*answer);
  return json_reply(200, to_json(*std::get<channel*>(ch)));
}

net::response archive_channel(world& w, const call& c) {
  auto found = channel_param(w, c);
  if (auto* answer = std::get_if<net::response>(&found)) return std::move(*answer);
  channel& ch = *std::get<channel*>(found);
  // ServiceSettings.EnableAPIChannelDeletion defaults to false.
  if (query_param(c.req.query(), "permanent") == "true")
    return w.app_error(401, "api.user.delete_channel.not_enabled.app_error",
                       "Permanent channel deletion feature is not enabled.");
  if (ch.delete_at != 0)
    return w.app_error(400, "api.channel.delete_channel.deleted.app_error",
                       "The channel has been archived or deleted.");
  ch.delete_at = ch.update_at = c.now_ms;
  return json_reply(200, {{"status", "OK"}});
}

net::response restore_channel(world& w, const call& c) {
  auto found = channel_param(w, c);
  if (auto* answer = std::get_if<net::response>(&found)) return std::move(*answer);
  channel& ch = *std::get<channel*>(found);
  if (ch.delete_at == 0)
    return w.app_error(400, "api.channel.restore_channel.restored.app_error",
                       "Unable to unarchive channel. The channel is not archived.");
  ch.delete_at = 0;
  ch.update_at = c.now_ms;
  return json_reply(200, to_json(ch));
}

net::response get_channel_by_name(world& w, const call& c) {
  const std::string& team_id = c.params.at(0);
  const std::string& name = c.params.at(1);
  if (!is_valid_id(team_id)) return invalid_url_param(w, "team_id");
  if (!is_channel_identifier(name)) return invalid_url_param(w, "channel_name");
  const bool include_deleted = query_param(c.req.query(), "include_deleted") == "true";
  const channel* ch = w.find_channel_by_name(team_id, name);
  // A private channel the caller is not in is answered like a missing one.
  if (ch == nullptr || (ch->delete_at != 0 && !include_deleted) ||
      (ch->type == "P" && !w.is_member(ch->id, w.bot_user_id)))
    return w.app_error(404, "app.channel.get_by_name.missing.app_error", "Channel does not exist.");
  return json_reply(200, to_json(*ch));
}

net::response list_members(world& w, const call& c) {
  auto found = channel_param(w, c);
  if (auto* answer = std::get_if<net::response>(&found)) return std::move(*answer);
  json out = json::array();
  const channel& ch = *std::get<channel*>(found);
  if (const auto it = w.members.find(ch.id); it != w.members.end())
    for (const auto& user_id : it->second)
      out.push_back(member_json(ch.id, user_id));
  return json_reply(200, out);
}

net::response add_member(world& w, const call& c) {
  if (!c.body.is_object()) return invalid_body_param(w, "channel_member");
  const std::string user_id = string_at(c.body, "user_id");
  if (!is_valid_id(user_id)) return invalid_body_param(w, "user_id");
  auto found = channel_param(w, c);
  if (auto* answer = std::get_if<net::response>(&found)) return std::move(*answer);
  const channel& ch = *std::get<channel*>(found);
  if (ch.delete_at != 0)
    return w.app_error(400, "api.channel.add_user_to_channel.deleted.app_error",
                       "The channel has been archived or deleted.");
  const user* u = w.find_user(user_id);
  if (u == nullptr) return user_missing(w);
  // AddUserToChannel looks the team member up first.
  if (!u->on_team)
    return w.app_error(404, "app.team.get_member.missing.app_error",
                       "No team member found for that user ID and team ID.");
  w.add_member(ch.id, user_id);  // an existing member is returned as is
  return json_reply(201, member_json(ch.id, user_id));
}

net::response get_team(world& w, const call& c) {
  if (!is_valid_id(c.params.at(0))) return invalid_url_param(w, "team_id");
  const std::string* name = w.team_name_of(c.params.at(0));
  if (name == nullptr)
    return w.app_error(404, "app.team.get.find.app_error", "Unable to find the existing team.");
  return json_reply(200, {{"id", c.params.at(0)},
                          {"name", *name},
                          {"display_name", *name},
                          {"type", "O"},
                          {"delete_at", 0}});
}

net::response get_user(world& w, const call& c) {
  // "me" is the session's user: the bot (Context.RequireUserId).
  const std::string& id = c.params.at(0) == "me" ? w.bot_user_id : c.params.at(0);
  if (!is_valid_id(id)) return invalid_url_param(w, "user_id");
  const user* u = w.find_user(id);
  return u == nullptr ? user_missing(w) : json_reply(200, to_json(*u, w.bot_user_id));
}

net::response get_user_by_email(world& w, const call& c) {
  std::string email = c.params.at(0);  // SanitizeEmail: trimmed, lower-cased
  std::transform(email.begin(), email.end(), email.begin(),
                 [](unsigned char ch) { return static_cast<char>(std::tolower(ch)); });
  if (email.find('@') == std::string::npos) return invalid_url_param(w, "email");
  const auto it =
      std::find_if(w.users.begin(), w.users.end(), [&](const user& u) { return u.email == email; });
  return it == w.users.end() ? user_missing(w) : json_reply(200, to_json(*it, w.bot_user_id));
}

net::response get_user_by_username(world& w, const call& c) {
  const auto it = std::find_if(w.users.begin(), w.users.end(),
                               [&](const user& u) { return u.username == c.params.at(0); });
  return it == w.users.end() ? user_missing(w) : json_reply(200, to_json(*it, w.bot_user_id));
}

net::response get_users_by_usernames(world& w, const call& c) {
  if (!c.body.is_array() ||
      !std::all_of(c.body.begin(), c.body.end(), [](const json& v) { return v.is_string(); }))
    return invalid_body_param(w, "usernames");
  json out = json::array();
  for (const user& u : w.users)
    if (std::find(c.body.begin(), c.body.end(), json(u.username)) != c.body.end())
      out.push_back(to_json(u, w.bot_user_id));
  return json_reply(200, out);
}

}  // namespace warroom::sim::mm
