// messages: the status messages warroom posts into a war-room channel, as pure functions from
// values to Mattermost markdown. Outside text (titles, names, notes) is neutralised so it can
// neither ping anyone nor break the markup. Every result is at most 16383 runes. Thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <warroom/domain/incident.hpp>

namespace warroom::domain {

/// Who did something. `username` is a Mattermost username (rendered as an @-mention, so the
/// person is notified); `name` is what PagerDuty calls them (rendered as neutralised text), used
/// when no Mattermost user is known.
struct actor {
  std::string username;
  std::string name;
};

/// "@alice", or the neutralised `name`, or "someone" when both are empty or unusable.
std::string actor_text(const actor& who);

/// "<verb> by @alice." or, when the change went through under the fallback From address,
/// "<verb> on behalf of @alice (… as `warroom@example.com`)."
std::string by_clause(std::string_view verb, const actor& by, std::string_view fallback_from);

/// The first message in a new war room. `uninvited` are the responders that could not be
/// invited (no Mattermost account, not on the team), named together in one line.
std::string war_room_opened(const incident_snapshot& incident, std::string_view jira_key,
                            std::string_view jira_url, const std::vector<std::string>& uninvited);

/// "Acknowledged by @alice." When PagerDuty did not know the person and the change was made with
/// the configured `from_email` instead, `fallback_from` names that address and the message says
/// the change was made on the person's behalf.
std::string acknowledged_message(const actor& by, std::string_view fallback_from = {});

/// "Resolved by …" with time to acknowledge and time to resolve from the snapshot's timestamps
/// ("not acknowledged" when it never was).
std::string resolved_message(const incident_snapshot& incident, const actor& by,
                             std::string_view fallback_from = {});

/// "Reassigned to @carol, Dave."
std::string reassigned_message(const std::vector<actor>& assignees);

/// "Priority changed to **P1**." ("Priority removed." for an empty priority).
std::string priority_changed_message(std::string_view priority);

/// The note quoted line by line, mentions neutralised, cut to a readable length.
std::string note_added_message(const actor& author, std::string_view content);

/// "Incident reopened by …; the buttons are back." (`by` may be empty).
std::string reopened_message(const actor& by);

/// "No longer acknowledged: back to triggered." (PagerDuty's acknowledgement timeout or an undo).
std::string unacknowledged_message();

}  // namespace warroom::domain
