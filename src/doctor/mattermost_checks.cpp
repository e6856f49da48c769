#include <algorithm>
#include <set>
#include <sstream>

#include <nlohmann/json.hpp>

#include <warroom/api/vendor_error.hpp>
#include <warroom/doctor/mattermost_checks.hpp>

namespace warroom::doctor {

namespace {

using nlohmann::json;

constexpr std::string_view token_check = "mattermost token";
constexpr std::string_view team_check = "mattermost team";
constexpr std::string_view create_check = "mattermost create channels";
constexpr std::string_view announce_check = "mattermost announce_channel_id";
constexpr std::string_view url_key = "mattermost.url";

std::string segment(std::string_view text) {
  return api::encode_path_segment(text);
}

std::vector<std::string> split_words(std::string_view text) {
  std::istringstream in{std::string(text)};
  std::vector<std::string> out;
  for (std::string word; in >> word;)
    out.push_back(word);
  return out;
}

// The JSON body of a 200 reply, else nullopt.
std::optional<json> ok_body(const reply& r) {
  if (!r || r->status != 200) return std::nullopt;
  json body = api::parse_body(r->body);
  if (!body.is_object()) return std::nullopt;
  return body;
}

// A failure other than the ones a check explains itself: Mattermost's own words.
check_line unexpected(std::string name, const reply& r, std::string fix) {
  if (!r) return no_reply(std::move(name), r.error(), url_key);
  const error err = api::mattermost_error(*r);
  return fail(std::move(name),
              "Mattermost answered HTTP " + std::to_string(r->status) + ": " + err.message + " (" +
                  err.code + ")",
              std::move(fix));
}

check_line read_token(const reply& me) {
  const std::string name(token_check);
  if (const auto body = ok_body(me)) {
    const std::string who = "@" + api::string_at(*body, "username").value_or("?");
    const bool bot = api::bool_at(*body, "is_bot").value_or(false);
    return pass(name, "accepted: signed in as " + who + (bot ? " (bot)" : " (a user, not a bot)"));
  }
  return unexpected(name, me,
                    "set mattermost.token (or token_file) to the bot's access token "
                    "(Integrations > Bot Accounts)");
}

check_line read_team(const mattermost_replies& r, const config::mattermost_config& cfg,
                     const bot_identity& bot) {
  const std::string name(team_check);
  const std::string fix_id =
      "set mattermost.team_id to the team's id (26 characters: mmctl team list, or "
      "GET /api/v4/teams)";
  if (r.team && (r.team->status == 404 || r.team->status == 400))
    return fail(name, "no team has the id " + cfg.team_id, fix_id);
  std::string team = cfg.team_id;
  if (const auto body = ok_body(r.team)) team = api::string_at(*body, "name").value_or(team);
  if (const auto member = ok_body(r.member);
      member && api::integer_at(*member, "delete_at").value_or(0) == 0)
    return pass(name, "@" + bot.username + " is a member of team " + team);
  if (r.member && (r.member->status == 403 || r.member->status == 404 || ok_body(r.member)))
    return fail(name, "@" + bot.username + " is not a member of team " + team,
                "add the bot to the team (mmctl team users add " + team + " " + bot.username +
                    "), or correct mattermost.team_id");
  const bool team_answered = r.team && (r.team->status == 200 || r.team->status == 403);
  return unexpected(name, team_answered ? r.member : r.team, fix_id);
}

check_line read_create(const mattermost_replies& r, const config::mattermost_config& cfg,
                       const bot_identity& bot) {
  const std::string name(create_check);
  const std::string wanted =
      cfg.private_channels ? "create_private_channel" : "create_public_channel";
  std::set<std::string> granted;
  std::vector<std::string> names;
  for (const auto& [role, reply] : r.roles) {
    names.push_back(role);
    const auto body = ok_body(reply);
    if (!body)
      return unexpected(name, reply, "check the role " + role + " in System Console > Permissions");
    if (const json* perms = api::array_at(*body, "permissions"))
      for (const json& p : *perms)
        if (p.is_string()) granted.insert(p.get<std::string>());
  }
  const std::string kind = cfg.private_channels ? "private" : "public";
  if (granted.contains(wanted) || granted.contains("manage_system"))
    return pass(name, "@" + bot.username + "'s roles (" + comma_list(names) + ") grant " + wanted +
                          " (mattermost.private: " + (cfg.private_channels ? "true" : "false") +
                          ")");
  return fail(name,
              "@" + bot.username + "'s roles (" + comma_list(names) + ") do not grant " + wanted +
                  ", needed for " + kind + " war-room channels",
              "grant " + wanted +
                  " to the bot (System Console > User Management > Permissions, "
                  "or the team's scheme), or change mattermost.private");
}

check_line read_announce(const reply& r, const config::mattermost_config& cfg) {
  const std::string name(announce_check);
  if (const auto body = ok_body(r)) {
    const std::string channel =
        "~" + api::string_at(*body, "name").value_or(cfg.announce_channel_id);
    if (api::integer_at(*body, "delete_at").value_or(0) != 0)
      return fail(name, channel + " is archived",
                  "unarchive it, or point mattermost.announce_channel_id at another channel");
    return pass(name, channel + " is readable");
  }
  if (r && r->status == 403)
    return fail(name, "the bot may not read channel " + cfg.announce_channel_id,
                "add the bot to the channel");
  if (r && (r->status == 404 || r->status == 400))
    return fail(name, "no channel has the id " + cfg.announce_channel_id,
                "set mattermost.announce_channel_id to a channel id, or \"\" to turn it off");
  return unexpected(name, r, "check mattermost.announce_channel_id");
}

check_line read_responder(const reply& r, const std::string& username) {
  const std::string name = "mattermost responder " + username;
  if (const auto body = ok_body(r)) {
    if (api::integer_at(*body, "delete_at").value_or(0) != 0)
      return fail(name, "@" + username + " is deactivated", "remove it from mattermost.responders");
    return pass(name, "@" + username + " exists");
  }
  if (r && r->status == 404)
    return fail(name, "no Mattermost user is named @" + username,
                "correct mattermost.responders (usernames, without @)");
  return unexpected(name, r, "check mattermost.responders");
}

}  // namespace

api::mattermost_endpoint mattermost_endpoint_of(const config::mattermost_config& cfg) {
  return {cfg.url, cfg.token};
}

api::http_call mattermost_me(const config::mattermost_config& cfg) {
  return api::mattermost_get(mattermost_endpoint_of(cfg), "/users/me");
}
api::http_call mattermost_team(const config::mattermost_config& cfg) {
  return api::mattermost_get(mattermost_endpoint_of(cfg), "/teams/" + segment(cfg.team_id));
}
api::http_call mattermost_team_member(const config::mattermost_config& cfg,
                                      std::string_view user_id) {
  return api::mattermost_get(mattermost_endpoint_of(cfg),
                             "/teams/" + segment(cfg.team_id) + "/members/" + segment(user_id));
}
api::http_call mattermost_role(const config::mattermost_config& cfg, std::string_view role) {
  return api::mattermost_get(mattermost_endpoint_of(cfg), "/roles/name/" + segment(role));
}
api::http_call mattermost_channel(const config::mattermost_config& cfg) {
  return api::mattermost_get(mattermost_endpoint_of(cfg),
                             "/channels/" + segment(cfg.announce_channel_id));
}
api::http_call mattermost_username(const config::mattermost_config& cfg,
                                   std::string_view username) {
  return api::mattermost_get(mattermost_endpoint_of(cfg), "/users/username/" + segment(username));
}

std::optional<bot_identity> read_bot(const reply& me) {
  const auto body = ok_body(me);
  if (!body) return std::nullopt;
  auto id = api::string_at(*body, "id");
  if (!id || id->empty()) return std::nullopt;
  return bot_identity{std::move(*id), api::string_at(*body, "username").value_or(""),
                      split_words(api::string_at(*body, "roles").value_or(""))};
}

std::vector<std::string> member_roles(const reply& member) {
  const auto body = ok_body(member);
  return body ? split_words(api::string_at(*body, "roles").value_or(""))
              : std::vector<std::string>{};
}

std::vector<check_line> read_mattermost(const mattermost_replies& r,
                                        const config::mattermost_config& cfg) {
  std::vector<check_line> out{read_token(r.me)};
  const auto bot = read_bot(r.me);
  if (bot) {
    out.push_back(read_team(r, cfg, *bot));
    out.push_back(out.back().ok ? read_create(r, cfg, *bot)
                                : not_checked(std::string(create_check), team_check));
  } else {
    out.push_back(not_checked(std::string(team_check), token_check));
    out.push_back(not_checked(std::string(create_check), token_check));
  }
  if (!cfg.announce_channel_id.empty())
    out.push_back(bot ? read_announce(r.announce, cfg)
                      : not_checked(std::string(announce_check), token_check));
  for (std::size_t i = 0; i < cfg.responders.size(); ++i) {
    const std::string& who = cfg.responders[i];
    if (!bot)
      out.push_back(not_checked("mattermost responder " + who, token_check));
    else if (i < r.responders.size())
      out.push_back(read_responder(r.responders[i], who));
    else
      out.push_back(fail("mattermost responder " + who, "not checked", "run doctor again"));
  }
  return out;
}

}  // namespace warroom::doctor
