#include <algorithm>

#include <warroom/domain/messages.hpp>
#include <warroom/domain/text.hpp>

namespace warroom::domain {
namespace {

constexpr std::size_t name_max_runes = 100;
constexpr std::size_t title_max_runes = 300;
constexpr std::size_t note_max_runes = 4000;
constexpr std::size_t names_listed_max = 20;
constexpr std::size_t message_max_runes = 16383;  // Mattermost's PostMessageMaxRunesV2
constexpr std::string_view middle_dot = " \xC2\xB7 ";

/// Mattermost usernames: lowercase, starting with a letter, then letters, digits, '.', '_', '-'.
bool is_username(std::string_view name) {
  if (name.empty() || name.size() > 64 || name.front() < 'a' || name.front() > 'z') return false;
  return name.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789._-") ==
         std::string_view::npos;
}

bool is_nobody(const actor& who) {
  return who.username.empty() && who.name.empty();
}

/// Last line of defence for every message: bounded and no channel-wide mention.
std::string finish(const std::string& text) {
  return cut_runes(neutralise_broadcasts(text), message_max_runes);
}

/// "a, b, c and 3 more", each name neutralised.
std::string name_list(const std::vector<std::string>& names) {
  std::string out;
  const std::size_t shown = std::min(names.size(), names_listed_max);
  for (std::size_t i = 0; i < shown; ++i) {
    if (i > 0) out += ", ";
    out += untrusted_inline(names[i], name_max_runes);
  }
  if (names.size() > shown) out += " and " + std::to_string(names.size() - shown) + " more";
  return out;
}

std::string duration_or(std::optional<std::int64_t> ms, std::string_view otherwise) {
  return ms ? format_duration(*ms) : std::string(otherwise);
}

/// One line of a note for a block quote: control characters other than tab removed.
std::string quoted_line(std::string_view line) {
  std::string clean;
  for (char c : line) {
    const auto byte = static_cast<unsigned char>(c);
    if ((byte >= 0x20 && byte != 0x7F) || c == '\t') clean += c;
  }
  const std::string safe = neutralise_mentions(clean);
  return safe.empty() ? ">" : "> " + safe;
}

}  // namespace

std::string by_clause(std::string_view verb, const actor& by, std::string_view fallback_from) {
  std::string out(verb);
  if (fallback_from.empty()) return out + " by " + actor_text(by) + ".";
  std::string from = single_line(fallback_from);
  std::erase(from, '`');
  return out + " on behalf of " + actor_text(by) +
         " (PagerDuty has no user with their email, so the change was made as `" +
         cut_runes(from, name_max_runes) + "`).";
}

std::string actor_text(const actor& who) {
  if (is_username(who.username)) return "@" + who.username;
  std::string name = untrusted_inline(who.name, name_max_runes);
  return name.empty() ? "someone" : name;
}

std::string war_room_opened(const incident_snapshot& incident, std::string_view jira_key,
                            std::string_view jira_url, const std::vector<std::string>& uninvited) {
  std::string text =
      ":rotating_light: War room for " +
      markdown_link("PagerDuty incident #" + std::to_string(incident.number), incident.html_url);
  if (const std::string title = untrusted_inline(incident.title, title_max_runes); !title.empty())
    text += ": " + title;
  if (!jira_key.empty()) text += "\nJira: " + markdown_link(jira_key, jira_url);
  if (!uninvited.empty())
    text += "\nCould not invite " + name_list(uninvited) +
            " (no Mattermost account or not on the team).";
  return finish(text);
}

std::string acknowledged_message(const actor& by, std::string_view fallback_from) {
  return finish(":eyes: " + by_clause("Acknowledged", by, fallback_from));
}

std::string resolved_message(const incident_snapshot& incident, const actor& by,
                             std::string_view fallback_from) {
  return finish(
      ":white_check_mark: " + by_clause("Resolved", by, fallback_from) + "\nTime to acknowledge: " +
      duration_or(time_to_acknowledge_ms(incident), "not acknowledged") + std::string(middle_dot) +
      "time to resolve: " + duration_or(time_to_resolve_ms(incident), "unknown"));
}

std::string reassigned_message(const std::vector<actor>& assignees) {
  if (assignees.empty()) return finish(":busts_in_silhouette: Unassigned.");
  std::string text = ":busts_in_silhouette: Reassigned to ";
  const std::size_t shown = std::min(assignees.size(), names_listed_max);
  for (std::size_t i = 0; i < shown; ++i)
    text += (i > 0 ? ", " : "") + actor_text(assignees[i]);
  if (assignees.size() > shown)
    text += " and " + std::to_string(assignees.size() - shown) + " more";
  return finish(text + ".");
}

std::string priority_changed_message(std::string_view priority) {
  const std::string safe = untrusted_inline(priority, name_max_runes);
  if (safe.empty()) return finish(":small_red_triangle: Priority removed.");
  return finish(":small_red_triangle: Priority changed to **" + safe + "**.");
}

std::string note_added_message(const actor& author, std::string_view content) {
  std::string text = ":memo: Note from " + actor_text(author) + ":";
  const std::string note = cut_runes(content, note_max_runes);
  std::string_view rest = note;
  bool any = false;
  while (!rest.empty()) {
    const std::size_t end = rest.find('\n');
    text += "\n" + quoted_line(rest.substr(0, end));
    any = true;
    rest = end == std::string_view::npos ? std::string_view{} : rest.substr(end + 1);
  }
  if (!any) text += "\n> *(empty note)*";
  return finish(text);
}

std::string reopened_message(const actor& by) {
  if (is_nobody(by))
    return finish(":leftwards_arrow_with_hook: Incident reopened; the buttons are back.");
  return finish(":leftwards_arrow_with_hook: Incident reopened by " + actor_text(by) +
                "; the buttons are back.");
}

std::string unacknowledged_message() {
  return finish(":hourglass: No longer acknowledged: the incident is triggered again.");
}

}  // namespace warroom::domain
