// warroom-sim: what the bot may do: its team membership, roles and their permissions. Read-only
// lookups answered like Mattermost's api4 handlers (getTeamMember, getRoleByName).
#include "mm_api.hpp"
#include "mm_jira_http.hpp"

namespace warroom::sim::mm {

namespace {

// The session is the bot's: "me" stands for it (Context.RequireUserId).
const std::string& user_param(const world& w, const std::string& param) {
  return param == "me" ? w.bot_user_id : param;
}

bool on_team(world& w, std::string_view team_id, std::string_view user_id) {
  const user* u = w.find_user(user_id);
  return u != nullptr && u->on_team && team_id == w.team_id;
}

}  // namespace

net::response get_team_member(world& w, const call& c) {
  const std::string& team_id = c.params.at(0);
  const std::string& user_id = user_param(w, c.params.at(1));
  if (!is_valid_id(team_id)) return invalid_url_param(w, "team_id");
  if (!is_valid_id(user_id)) return invalid_url_param(w, "user_id");
  // view_team: only members see a team's members, so a bot off the team (or an unknown team)
  // gets 403 before the member is even looked up.
  if (!on_team(w, team_id, w.bot_user_id)) return permission_denied(w);
  if (!on_team(w, team_id, user_id))
    return w.app_error(404, "app.team.get_member.missing.app_error",
                       "No team member found for that user ID and team ID.");
  const user& u = *w.find_user(user_id);
  return json_reply(200, {{"team_id", team_id},
                          {"user_id", u.id},
                          {"roles", u.team_roles},
                          {"delete_at", 0},
                          {"scheme_user", true},
                          {"scheme_admin", u.team_roles.find("team_admin") != std::string::npos},
                          {"explicit_roles", ""}});
}

net::response get_role_by_name(world& w, const call& c) {
  const auto it = w.role_permissions.find(c.params.at(0));
  if (it == w.role_permissions.end())
    return w.app_error(404, "app.role.get_by_name.app_error", "Unable to get role.");
  std::string id = it->first;  // stable and 26 characters, like a real role id
  id.resize(26, '0');
  return json_reply(200, {{"id", id},
                          {"name", it->first},
                          {"display_name", it->first},
                          {"description", ""},
                          {"permissions", it->second},
                          {"scheme_managed", true}});
}

}  // namespace warroom::sim::mm
