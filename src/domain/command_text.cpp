#include <warroom/domain/command_text.hpp>
#include <warroom/domain/text.hpp>

namespace warroom::domain {
namespace {

constexpr std::size_t name_max_runes = 100;
constexpr std::size_t title_max_runes = 300;
constexpr std::size_t message_max_runes = 16383;
constexpr std::string_view middle_dot = " \xC2\xB7 ";

std::string finish(const std::string& text) {
  return cut_runes(neutralise_broadcasts(text), message_max_runes);
}

std::string names(const std::vector<std::string>& usernames) {
  std::string out;
  for (const auto& name : usernames)
    out += (out.empty() ? "" : ", ") + actor_text(actor{name, name});
  return out;
}

}  // namespace

std::string status_summary(const incident_snapshot& incident, std::string_view acknowledged_by,
                           std::string_view jira_key, std::string_view jira_url,
                           std::int64_t now_ms) {
  std::string text = markdown_link("INC #" + std::to_string(incident.number), incident.html_url);
  if (const auto title = untrusted_inline(incident.title, title_max_runes); !title.empty())
    text += ": " + title;
  const auto status = status_of(incident);
  text += std::string(middle_dot) + "**" + std::string(label(status)) + "**";
  if (status == incident_status::acknowledged && !acknowledged_by.empty())
    text += " by " + std::string(acknowledged_by);  // already actor_text, safe markdown
  if (!incident.priority.empty())
    text += std::string(middle_dot) + "priority " + untrusted_inline(incident.priority, 32);
  text += std::string(middle_dot) + "Jira " +
          (jira_key.empty() ? std::string("none") : markdown_link(jira_key, jira_url));
  if (incident.created_at_ms > 0) {
    const auto end = incident.resolved_at_ms > 0 ? incident.resolved_at_ms : now_ms;
    text += std::string(middle_dot) + (incident.resolved_at_ms > 0 ? "lasted " : "open for ") +
            format_duration(end - incident.created_at_ms);
  }
  return finish(text);
}

std::string command_note_message(const actor& by, std::string_view content,
                                 std::string_view fallback_from) {
  std::string text = note_added_message(by, content);
  if (!fallback_from.empty())
    text += "\n*" + by_clause("Added to PagerDuty", by, fallback_from) + "*";
  return finish(text);
}

std::string members_added_message(const actor& by, const std::vector<std::string>& added,
                                  const std::vector<std::string>& missing) {
  std::string text = ":wave: ";
  if (!added.empty()) text += actor_text(by) + " added " + names(added) + ".";
  if (!missing.empty()) {
    std::string list;
    for (const auto& name : missing)
      list += (list.empty() ? "" : ", ") + untrusted_inline(name, name_max_runes);
    text += (added.empty() ? "" : " ") + std::string("No Mattermost user named ") + list + ".";
  }
  return finish(text);
}

std::string responder_requested_message(const actor& by, const actor& target,
                                        std::string_view fallback_from) {
  return finish(":pager: " + by_clause("Responder request for " + actor_text(target) + " sent", by,
                                       fallback_from));
}

std::string priority_set_message(const actor& by, std::string_view priority,
                                 std::string_view jira_priority, std::string_view fallback_from) {
  std::string verb = "Priority set to **" + untrusted_inline(priority, 32) + "**";
  if (!jira_priority.empty()) verb += " (Jira: " + untrusted_inline(jira_priority, 32) + ")";
  return finish(":small_red_triangle: " + by_clause(verb, by, fallback_from));
}

}  // namespace warroom::domain
