#include <cctype>
#include <optional>

#include <warroom/domain/channel_name.hpp>
#include <warroom/domain/text.hpp>

namespace warroom::domain {
namespace {

// The webapp treats 26-character names as channel ids (NOTES §3.2), and 40 hex digits are
// reserved for group messages.
constexpr std::size_t id_like_length = 26;
constexpr std::size_t group_message_length = 40;
constexpr std::string_view reserved_fix = "-1";
constexpr std::string_view separator = " \xC2\xB7 ";  // " · "

std::optional<std::string_view> placeholder(std::string_view name, const naming_fields& fields,
                                            const std::string& number) {
  if (name == "number") return number;
  if (name == "title") return fields.title;
  if (name == "service") return fields.service;
  if (name == "urgency") return fields.urgency;
  if (name == "id") return fields.id;
  return std::nullopt;
}

std::string expand(std::string_view pattern, const naming_fields& fields) {
  const std::string number = std::to_string(fields.number);
  std::string out;
  for (std::size_t i = 0; i < pattern.size();) {
    const std::size_t close = pattern[i] == '{' ? pattern.find('}', i) : std::string_view::npos;
    if (close != std::string_view::npos) {
      if (auto value = placeholder(pattern.substr(i + 1, close - i - 1), fields, number)) {
        out += *value;
        i = close + 1;
        continue;
      }
    }
    out += pattern[i++];
  }
  return out;
}

/// Lowercase ASCII letters and digits; every other run of bytes becomes one '-', none at the ends.
std::string slugify(std::string_view text) {
  std::string out;
  bool gap = false;
  for (char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte < 0x80 && std::isalnum(byte)) {
      if (gap && !out.empty()) out += '-';
      gap = false;
      out += static_cast<char>(std::tolower(byte));
    } else {
      gap = true;
    }
  }
  return out;
}

/// Cut a slug to `max` bytes, at a '-' when that keeps at least half, never ending in '-'.
std::string cut_at_word(std::string slug, std::size_t max) {
  if (slug.size() <= max) return slug;
  const std::size_t dash = slug.rfind('-', max);
  slug.resize(dash != std::string::npos && dash >= max / 2 ? dash : max);
  while (!slug.empty() && slug.back() == '-')
    slug.pop_back();
  return slug;
}

bool is_hex(std::string_view text) {
  return text.find_first_not_of("0123456789abcdef") == std::string_view::npos;
}

std::string avoid_reserved(std::string slug) {
  if (slug.size() == id_like_length || (slug.size() == group_message_length && is_hex(slug)))
    slug += reserved_fix;
  return slug;
}

}  // namespace

std::string channel_slug(std::string_view pattern, const naming_fields& fields) {
  std::string slug = cut_at_word(slugify(expand(pattern, fields)), channel_name_max_bytes);
  // Mattermost refuses names shorter than 2 characters (a title like "x" slugs to one letter).
  if (slug.size() < channel_name_min_bytes)
    slug = cut_at_word(slugify("inc-" + fields.id), channel_name_max_bytes);
  return avoid_reserved(std::move(slug));
}

std::string with_suffix(std::string_view slug, int n) {
  if (n <= 1) return std::string(slug);
  const std::string number = std::to_string(n);
  std::string base = cut_at_word(slugify(slug), channel_name_max_bytes - 1 - number.size());
  if (base.empty()) base = "inc";
  std::string out = base + "-" + number;
  if (out.size() == id_like_length) out = base + "-0" + number;
  return out;
}

std::string display_name(int number, std::string_view title) {
  const std::string line = single_line(title);
  std::string name = "INC " + std::to_string(number);
  if (!line.empty()) name += ": " + line;
  return cut_runes(name, channel_display_name_max_runes);
}

std::string jira_summary(int number, std::string_view title) {
  const std::string line = single_line(title);
  std::string summary = "[PD #" + std::to_string(number) + "]";
  if (!line.empty()) summary += " " + line;
  return cut_utf16(summary, jira_summary_max_chars);
}

std::string channel_purpose(const channel_links& links) {
  std::string purpose = "PagerDuty incident #" + std::to_string(links.number);
  if (!links.pagerduty_url.empty()) purpose += ": " + links.pagerduty_url;
  if (!links.jira_key.empty()) {
    purpose += std::string(separator) + "Jira " + links.jira_key;
    if (!links.jira_url.empty()) purpose += ": " + links.jira_url;
  }
  return cut_runes(single_line(purpose), channel_purpose_max_runes);
}

std::string channel_header(const channel_links& links) {
  std::string header =
      markdown_link("PagerDuty #" + std::to_string(links.number), links.pagerduty_url);
  if (!links.jira_key.empty())
    header += std::string(separator) + markdown_link("Jira " + links.jira_key, links.jira_url);
  return cut_runes(header, channel_header_max_runes);
}

}  // namespace warroom::domain
