// `warroomd doctor`, Mattermost: the token works, the bot is on `team_id`, its roles grant
// creating channels of the configured type, the announce channel is readable and every
// configured responder exists. Read-only GETs only. Pure, thread-safe.
//
// Creating channels is checked through the documented read-only path: the bot's system roles
// (users/me), its team roles (teams/{id}/members/{bot}, scheme roles included) and each role's
// permissions (roles/name/{name}). Channel-level overrides cannot be read before the channel
// exists, and do not affect creation.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <warroom/api/mattermost.hpp>
#include <warroom/config/config.hpp>
#include <warroom/doctor/report.hpp>

namespace warroom::doctor {

api::mattermost_endpoint mattermost_endpoint_of(const config::mattermost_config& cfg);

api::http_call mattermost_me(const config::mattermost_config& cfg);
api::http_call mattermost_team(const config::mattermost_config& cfg);
api::http_call mattermost_team_member(const config::mattermost_config& cfg,
                                      std::string_view user_id);
api::http_call mattermost_role(const config::mattermost_config& cfg, std::string_view role);
api::http_call mattermost_channel(const config::mattermost_config& cfg);
api::http_call mattermost_username(const config::mattermost_config& cfg, std::string_view username);

/// Who the token belongs to (from a 200 users/me) and its system roles.
struct bot_identity {
  std::string id;
  std::string username;
  std::vector<std::string> roles;
};
std::optional<bot_identity> read_bot(const reply& me);
/// The roles of a 200 team-member reply (empty otherwise).
std::vector<std::string> member_roles(const reply& member);

/// The replies the checks read. A call not made stays the "not_sent" error.
struct mattermost_replies {
  reply me = error{"not_sent", "not sent"};
  reply team = error{"not_sent", "not sent"};
  reply member = error{"not_sent", "not sent"};      // needs the bot's id
  std::vector<std::pair<std::string, reply>> roles;  // role name → reply
  reply announce = error{"not_sent", "not sent"};    // when announce_channel_id is set
  std::vector<reply> responders;                     // one per cfg.responders
};

/// Lines in order: token, team, create channels, announce channel (only when configured), one
/// per responder.
std::vector<check_line> read_mattermost(const mattermost_replies& replies,
                                        const config::mattermost_config& cfg);

}  // namespace warroom::doctor
