// warroom-sim: a stateful fake of the Mattermost API v4 subset the daemon uses (team, users,
// channels, members, posts with interactive buttons), answering as a real server does: same
// statuses, same AppError ids (NOTES §3). Button clicks are driven through the control API
// ("click") and reach the integration as an outbound request. Owned by the simulator;
// single-threaded (see service.hpp).
#pragma once

#include "mm_model.hpp"
#include "service.hpp"

namespace warroom::sim {

/// Seed (all keys optional; present ones replace, users are upserted by id):
/// {"token":"...","team":{"id","name"},"users":[{"id","username","email","on_team":true,
///  "roles":"system_user","team_roles":"team_user"}],"bot_user_id":"...",
///  "roles":{"team_user":["create_public_channel",...]}}. Ids are 26-character lowercase
/// alphanumerics; "roles" replaces the permissions of the roles it names.
/// Control verbs: "click" {"post_id","action_id","user_id"[,"selected_option"]}.
/// State: team, users, channels (archived included), members, posts (with their integrations),
/// clicks, ephemeral_posts, and the daemon mistakes a real server accepts but users suffer from:
/// unopenable_names (26-character channel names) and unclickable_actions (ids the click route
/// cannot match).
class mattermost_fake final : public service {
 public:
  std::string_view name() const override { return "mattermost"; }
  net::response handle(const net::request& req, std::int64_t now_ms) override;
  result<void> seed(const nlohmann::json& data) override;
  void on_listening(std::string_view base_url) override { world_.site_url = base_url; }
  nlohmann::json state() const override;
  result<nlohmann::json> control(std::string_view verb, const nlohmann::json& args,
                                 std::int64_t now_ms) override;
  std::vector<outbound> take_outbox() override;
  void on_outbound_reply(const outbound& sent, const api::http_reply& reply,
                         std::int64_t now_ms) override;

 private:
  bool authenticated(const net::request& req) const;

  mm::world world_;
};

}  // namespace warroom::sim
