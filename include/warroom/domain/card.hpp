// card: the one war-room post that shows an incident and carries its Acknowledge and Resolve
// buttons. The same rendering serves POST /posts, later patches and the `update` of a button
// click, because Mattermost blanks whatever an update leaves out (NOTES §3.5). Pure; thread-safe.
#pragma once

#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include <warroom/domain/incident.hpp>

namespace warroom::domain {

/// Button action ids: Mattermost routes clicks only for ids matching [A-Za-z0-9]+.
inline constexpr std::string_view acknowledge_action_id = "acknowledge";
inline constexpr std::string_view resolve_action_id = "resolve";

/// Everything the card shows. The *_by and activity strings are markdown made by our own code
/// (see messages.hpp actor_text), e.g. "@alice" or "Alice Smith"; channel-wide mentions in them
/// are still neutralised. The tokens are opaque signed strings placed in the button contexts,
/// which Mattermost never shows to clients.
struct card_input {
  incident_snapshot incident;
  std::string jira_key, jira_url;  // empty until the issue exists
  std::string integration_url;     // {public_url}/webhooks/mattermost
  std::string ack_token, resolve_token;
  std::string activity;  // e.g. "Acknowledging as @alice…" while an action runs, else ""
  std::string acknowledged_by, resolved_by;
};

/// A post body: `message` and `props` (`{"attachments":[…], "warroom_incident": id}`).
struct card {
  std::string message;
  nlohmann::json props;
  friend bool operator==(const card&, const card&) = default;
};

/// Renders the card. Buttons: Acknowledge while triggered, Resolve while triggered or
/// acknowledged, none once resolved, and none while `activity` is set (the activity line shows
/// instead), so a second click cannot race the first.
card render_card(const card_input& input);

/// The answer to a button click: {"update":{"message","props"},"ephemeral_text"?,
/// "skip_slack_parsing":true}. The update always carries the whole card; `ephemeral_text` is
/// omitted when empty. Slack parsing is skipped so the update renders exactly as the post did.
nlohmann::json action_response(const card& body, std::string_view ephemeral_text);

/// {"message","props"}: the body fields for POST /posts and PUT /posts/{id}/patch.
nlohmann::json post_fields(const card& body);

}  // namespace warroom::domain
