// command_text: what `/incident` says — the status summary shown to the typing user and the
// channel messages of chat-command outcomes. Pure; thread-safe; outside text neutralised the way
// messages.hpp does it.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <warroom/domain/incident.hpp>
#include <warroom/domain/messages.hpp>

namespace warroom::domain {

/// "INC #42: title · **Acknowledged** by @alice · Jira [OPS-7](url) · open for 1h 03m".
std::string status_summary(const incident_snapshot& incident, std::string_view acknowledged_by,
                           std::string_view jira_key, std::string_view jira_url,
                           std::int64_t now_ms);

/// ":memo: Note from @alice" (quoted), with the on-behalf clause when `fallback_from` is set.
std::string command_note_message(const actor& by, std::string_view content,
                                 std::string_view fallback_from);

/// "@alice added @bob, @carol." plus who could not be added (no such Mattermost user).
std::string members_added_message(const actor& by, const std::vector<std::string>& added,
                                  const std::vector<std::string>& missing);

/// "@alice asked PagerDuty to page Dave (@dave)." with the on-behalf clause when needed.
std::string responder_requested_message(const actor& by, const actor& target,
                                        std::string_view fallback_from);

/// "Priority set to **P1** by @alice." (Jira's mapped priority named when there is one).
std::string priority_set_message(const actor& by, std::string_view priority,
                                 std::string_view jira_priority, std::string_view fallback_from);

}  // namespace warroom::domain
