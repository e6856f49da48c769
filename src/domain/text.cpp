#include <array>
#include <cctype>

#include <warroom/domain/text.hpp>

namespace warroom::domain {
namespace {

constexpr std::string_view zero_width_space = "\xE2\x80\x8B";
constexpr std::string_view ellipsis = "\xE2\x80\xA6";
constexpr char32_t replacement_char = 0xFFFD;

/// Decodes the code point at text[pos] into `cp`; returns its length, or 0 when the bytes there
/// are not well-formed UTF-8 (RFC 3629: no overlongs, no surrogates, nothing past U+10FFFF).
std::size_t decode(std::string_view text, std::size_t pos, char32_t& cp) {
  const auto lead = static_cast<unsigned char>(text[pos]);
  std::size_t len = 1;
  char32_t min = 0;
  if (lead < 0x80) {
    cp = lead;
    return 1;
  } else if ((lead & 0xE0) == 0xC0) {
    len = 2, cp = lead & 0x1Fu, min = 0x80;
  } else if ((lead & 0xF0) == 0xE0) {
    len = 3, cp = lead & 0x0Fu, min = 0x800;
  } else if ((lead & 0xF8) == 0xF0) {
    len = 4, cp = lead & 0x07u, min = 0x10000;
  } else {
    return 0;
  }
  if (pos + len > text.size()) return 0;
  for (std::size_t i = 1; i < len; ++i) {
    const auto next = static_cast<unsigned char>(text[pos + i]);
    if ((next & 0xC0) != 0x80) return 0;
    cp = (cp << 6) | (next & 0x3Fu);
  }
  if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
  return len;
}

/// Calls f(cp, bytes) for every code point of already valid UTF-8.
template <class F>
void for_each_rune(std::string_view text, F&& f) {
  for (std::size_t pos = 0; pos < text.size();) {
    char32_t cp = 0;
    const std::size_t len = decode(text, pos, cp);
    f(cp, len);
    pos += len;
  }
}

/// The shared cutting rule; `cost(cp, bytes)` says how many units a code point takes.
template <class Cost>
std::string cut_with(std::string_view raw, std::size_t max, Cost cost) {
  std::string text = valid_utf8(raw);
  std::size_t total = 0;
  for_each_rune(text, [&](char32_t cp, std::size_t len) { total += cost(cp, len); });
  if (total <= max) return text;

  const std::size_t ellipsis_cost = cost(U'\u2026', ellipsis.size());
  const bool with_ellipsis = max >= ellipsis_cost;
  const std::size_t budget = with_ellipsis ? max - ellipsis_cost : max;
  std::size_t used = 0;
  std::size_t end = 0;
  for (std::size_t pos = 0; pos < text.size();) {
    char32_t cp = 0;
    const std::size_t len = decode(text, pos, cp);
    if (used + cost(cp, len) > budget) break;
    used += cost(cp, len);
    pos += len;
    end = pos;
  }
  text.resize(end);
  while (with_ellipsis && !text.empty() && text.back() == ' ')
    text.pop_back();
  if (with_ellipsis) text += ellipsis;
  return text;
}

bool is_line_break_or_control(char32_t cp) {
  return cp < 0x20 || (cp >= 0x7F && cp <= 0x9F) || cp == 0x2028 || cp == 0x2029;
}

bool is_ascii_alnum(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) != 0;
}

bool is_username_char(char c) {
  return is_ascii_alnum(c) || c == '_' || c == '-';
}

/// True when `rest` starts with a channel-wide mention word that is not the start of a longer
/// username ("@all" but not "@allison"; a trailing '.' still mentions, so it is a boundary).
bool starts_with_broadcast(std::string_view rest) {
  static constexpr std::array<std::string_view, 4> words = {"channel", "here", "all", "everyone"};
  for (std::string_view word : words) {
    if (rest.size() < word.size()) continue;
    bool same = true;
    for (std::size_t i = 0; i < word.size() && same; ++i)
      same = std::tolower(static_cast<unsigned char>(rest[i])) == word[i];
    if (same && (rest.size() == word.size() || !is_username_char(rest[word.size()]))) return true;
  }
  return false;
}

std::string neutralise(std::string_view text, bool every_mention) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    out += text[i];
    const std::string_view rest = text.substr(i + 1);
    if (text[i] == '<' && !rest.empty() && rest.front() == '!') {
      out += zero_width_space;  // Slack-style <!channel> is expanded by Mattermost
    } else if (text[i] == '@') {
      const bool user_mention = every_mention && (i == 0 || !is_ascii_alnum(text[i - 1])) &&
                                !rest.empty() &&
                                (is_ascii_alnum(rest.front()) || rest.front() == '_');
      if (user_mention || starts_with_broadcast(rest)) out += zero_width_space;
    }
  }
  return out;
}

}  // namespace

void append_utf8(std::string& out, char32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

std::string valid_utf8(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t pos = 0; pos < text.size();) {
    char32_t cp = 0;
    const std::size_t len = decode(text, pos, cp);
    if (len == 0) {
      append_utf8(out, replacement_char);
      ++pos;
    } else {
      out.append(text.substr(pos, len));
      pos += len;
    }
  }
  return out;
}

std::size_t rune_count(std::string_view text) {
  std::size_t count = 0;
  for (char c : text)
    count += (static_cast<unsigned char>(c) & 0xC0) != 0x80 ? 1 : 0;
  return count;
}

std::string single_line(std::string_view text) {
  const std::string valid = valid_utf8(text);
  std::string out;
  out.reserve(valid.size());
  bool pending_space = false;
  for_each_rune(valid, [&](char32_t cp, std::size_t) {
    if (cp == ' ' || is_line_break_or_control(cp)) {
      pending_space = !out.empty();
      return;
    }
    if (pending_space) out += ' ';
    pending_space = false;
    append_utf8(out, cp);
  });
  return out;
}

std::string cut_runes(std::string_view text, std::size_t max) {
  return cut_with(text, max, [](char32_t, std::size_t) { return std::size_t{1}; });
}

std::string cut_bytes(std::string_view text, std::size_t max) {
  return cut_with(text, max, [](char32_t, std::size_t len) { return len; });
}

std::string cut_utf16(std::string_view text, std::size_t max) {
  return cut_with(text, max,
                  [](char32_t cp, std::size_t) { return std::size_t{cp >= 0x10000 ? 2u : 1u}; });
}

std::string escape_markdown(std::string_view text) {
  static constexpr std::string_view special = "\\`*_~[]<>";
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    if (special.find(c) != std::string_view::npos) out += '\\';
    out += c;
  }
  return out;
}

std::string neutralise_mentions(std::string_view text) {
  return neutralise(text, true);
}

std::string neutralise_broadcasts(std::string_view text) {
  return neutralise(text, false);
}

std::string untrusted_inline(std::string_view text, std::size_t max_runes) {
  // Neutralise first: escaping puts a backslash between '@' and a leading '_'.
  return escape_markdown(neutralise_mentions(cut_runes(single_line(text), max_runes)));
}

std::string markdown_link(std::string_view label, std::string_view url) {
  const std::string safe_label = neutralise_broadcasts(escape_markdown(single_line(label)));
  if (url.empty()) return safe_label;
  static constexpr std::string_view hex = "0123456789ABCDEF";
  std::string target;
  for (char c : url) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte <= 0x20 || byte >= 0x7F || c == '(' || c == ')' || c == '<' || c == '>') {
      target += '%';
      target += hex[byte >> 4];
      target += hex[byte & 0x0F];
    } else {
      target += c;
    }
  }
  return "[" + safe_label + "](" + target + ")";
}

}  // namespace warroom::domain
