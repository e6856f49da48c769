// channel_name: the names and descriptive texts of an incident's war-room channel and Jira
// issue, within the limits Mattermost and Jira enforce (NOTES §3.2, §4.2). Pure; thread-safe.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace warroom::domain {

inline constexpr std::size_t channel_name_min_bytes = 2;
inline constexpr std::size_t channel_name_max_bytes = 64;
inline constexpr std::size_t channel_display_name_max_runes = 64;
inline constexpr std::size_t channel_purpose_max_runes = 250;
inline constexpr std::size_t channel_header_max_runes = 1024;
inline constexpr std::size_t jira_summary_max_chars = 255;

/// The values the `mattermost.channel_name` placeholders expand to.
struct naming_fields {
  int number = 0;
  std::string title;    // {title}
  std::string service;  // {service}
  std::string urgency;  // {urgency}
  std::string id;       // {id}: the PagerDuty incident id
};

/// The channel name for `pattern` (e.g. "inc-{number}-{title}"; unknown placeholders stay as
/// literal text). The result is lowercase `[a-z0-9-]`, every other run of bytes becoming one `-`;
/// starts and ends with a letter or digit; at most 64 bytes, cut at a `-` when that keeps at
/// least half; never exactly 26 characters (Mattermost's webapp takes those for ids: "-1" is
/// appended) nor 40 hex digits (reserved for group messages: "-1" too); never empty (falls back
/// to "inc-<id>", as does a one-character result: Mattermost wants at least 2).
std::string channel_slug(std::string_view pattern, const naming_fields& fields);

/// `slug` with "-<n>" for the n-th incident wanting the same name (n >= 2; n <= 1 returns the
/// slug unchanged). The slug is shortened to make room within 64 bytes; if the result would be
/// 26 characters the number is zero-padded ("-02").
std::string with_suffix(std::string_view slug, int n);

/// "INC {number}: {title}" on one line, cut to 64 runes ("INC {number}" for an empty title).
std::string display_name(int number, std::string_view title);

/// "[PD #{number}] {title}" on one line, cut to 255 characters as Jira counts them.
std::string jira_summary(int number, std::string_view title);

/// The links a channel's purpose and header carry. Jira fields may be empty (not created yet).
struct channel_links {
  int number = 0;
  std::string pagerduty_url;
  std::string jira_key;
  std::string jira_url;
};

/// Plain text (the purpose is not rendered as markdown), at most 250 runes.
std::string channel_purpose(const channel_links& links);

/// Markdown links, at most 1024 runes.
std::string channel_header(const channel_links& links);

}  // namespace warroom::domain
