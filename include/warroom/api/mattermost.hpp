// Mattermost API v4: request builders (values in, http_call out), reply readers (http_reply
// in, result out) and the name checks to run before sending (NOTES §3). Pure functions,
// thread-safe; nothing here does I/O. Readers never throw, whatever the body holds.
//
// A failed reply becomes an error whose code is the AppError `id` (stable; its `message` is
// translated, so match on the id) and whose message is the AppError message. Replies without
// an AppError (the plain-text 429 "limit exceeded", an empty 404, a proxy page) get
// "http_<status>" and the body's text. The token never reaches an error.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include <warroom/api/http_call.hpp>
#include <warroom/util/result.hpp>
#include <warroom/util/secret.hpp>
#include <warroom/util/url.hpp>

namespace warroom::api {

/// Where and as whom to call Mattermost: `base` is the server URL (a path prefix such as
/// "/chat" is kept), `token` the bot access token sent as "Authorization: Bearer <token>".
struct mattermost_endpoint {
  util::url base;
  util::secret token;
};

enum class channel_type : char { open = 'O', private_channel = 'P' };

struct mattermost_channel {
  std::string id;
  std::string team_id;
  std::string name;
  std::string display_name;
  std::string type;
  std::int64_t delete_at = 0;  // 0 while active; archive time in ms otherwise
};

struct mattermost_user {
  std::string id;
  std::string username;
  std::string email;  // empty when the server hides emails from the bot
  std::int64_t delete_at = 0;
};

/// POST to a slash command's `response_url` (`{site}/hooks/commands/{id}`, good for 5 answers
/// within 30 minutes): an ephemeral answer to the user who typed the command. The URL comes from
/// the request, so it is only followed to the configured Mattermost server: another origin or
/// path is an error, never a call.
result<http_call> command_response(const mattermost_endpoint& ep, std::string_view response_url,
                                   std::string_view text);

/// POST /api/v4/channels (201).
http_call create_channel(const mattermost_endpoint& ep, std::string_view team_id,
                         std::string_view name, std::string_view display_name, channel_type type,
                         std::string_view purpose, std::string_view header);
/// Reads a Channel: for create_channel and restore_channel.
result<mattermost_channel> read_channel(const http_reply& reply);
/// The name is held by another channel of the team, maybe an archived one
/// (store.sql_channel.save_channel.exists.app_error or ...previously.app_error).
bool is_channel_exists(const error& err);

/// GET /api/v4/teams/{team_id}/channels/name/{name}[?include_deleted=true].
http_call get_channel_by_name(const mattermost_endpoint& ep, std::string_view team_id,
                              std::string_view name, bool include_deleted = true);
/// nullopt on 404 (no such channel, or not visible to the bot). A 404 for an unknown route
/// (wrong base URL) stays an error.
result<std::optional<mattermost_channel>> read_channel_if_found(const http_reply& reply);

/// POST /api/v4/channels/{id}/restore (unarchive); read with read_channel, or read_restored
/// when a channel that is not archived counts as restored.
http_call restore_channel(const mattermost_endpoint& ep, std::string_view channel_id);
/// Success for a restored channel and for one that was not archived (400
/// api.channel.restore_channel.restored.app_error): a retried restore is not a failure.
result<void> read_restored(const http_reply& reply);
/// DELETE /api/v4/channels/{id}: archives it (a soft delete; 200 {"status":"OK"}).
http_call archive_channel(const mattermost_endpoint& ep, std::string_view channel_id);
/// Success for an archived channel and for one archived already (400
/// api.channel.delete_channel.deleted.app_error): a retried archive is not a failure.
result<void> read_archived(const http_reply& reply);

/// POST /api/v4/channels/{id}/members (201). Adding an existing member succeeds.
http_call add_channel_member(const mattermost_endpoint& ep, std::string_view channel_id,
                             std::string_view user_id);
result<void> read_channel_member(const http_reply& reply);

/// GET /api/v4/users/email/{email}; read with read_user_if_found.
http_call get_user_by_email(const mattermost_endpoint& ep, std::string_view email);
/// GET /api/v4/users/{id}; read with read_mattermost_user.
http_call get_user(const mattermost_endpoint& ep, std::string_view user_id);
result<mattermost_user> read_mattermost_user(const http_reply& reply);
/// nullopt on 404 (no account with that email or id).
result<std::optional<mattermost_user>> read_user_if_found(const http_reply& reply);

/// POST /api/v4/users/usernames with a JSON array; unknown names are simply absent.
http_call get_users_by_usernames(const mattermost_endpoint& ep,
                                 std::span<const std::string> usernames);
result<std::vector<mattermost_user>> read_mattermost_users(const http_reply& reply);

/// POST /api/v4/posts (201). `props` must be a JSON object (or null for none); the root id
/// makes it a thread reply.
http_call create_post(const mattermost_endpoint& ep, std::string_view channel_id,
                      std::string_view message, const nlohmann::json& props,
                      std::optional<std::string_view> root_id = std::nullopt);
/// PUT /api/v4/posts/{id}/patch: replaces message and props, keeps everything else.
http_call patch_post(const mattermost_endpoint& ep, std::string_view post_id,
                     std::string_view message, const nlohmann::json& props);
/// One post as listed: its id and props (Mattermost strips `integration` from actions).
struct mattermost_post {
  std::string id;
  nlohmann::json props;
};
/// GET /api/v4/channels/{id}/posts: the newest `per_page` posts, to find a card an earlier
/// attempt posted before it could record the post id.
http_call get_channel_posts(const mattermost_endpoint& ep, std::string_view channel_id,
                            int per_page);
result<std::vector<mattermost_post>> read_channel_posts(const http_reply& reply);
/// The post's id, for create_post and patch_post.
result<std::string> read_post_id(const http_reply& reply);

/// Mattermost routes button clicks only for action ids matching [A-Za-z0-9]+; any other id
/// gives a silent 404 on click.
bool valid_action_id(std::string_view id);
/// [a-z0-9_-], starts and ends alphanumeric, 2..64 bytes, not 26 characters long (the web
/// app takes it for an id), not 40 hex digits (group messages) nor "<id>__<id>" (DMs).
bool valid_channel_name(std::string_view name);

/// GET /api/v4{path} as the bot, for read-only lookups whose replies the caller reads itself
/// (doctor: users/me, team members, roles). `path` starts with '/' and is already encoded.
http_call mattermost_get(const mattermost_endpoint& ep, std::string path);

/// The error a failed Mattermost reply stands for (see the header comment).
error mattermost_error(const http_reply& reply);

}  // namespace warroom::api
