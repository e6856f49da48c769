// text: UTF-8 and Mattermost-markdown helpers shared by the channel names, the card and the
// channel messages. Everything here is a pure function over strings; thread-safe.
//
// Text that reaches Mattermost comes from PagerDuty (titles, notes, user names), so it may be
// invalid UTF-8, multi-line, arbitrarily long, or carry markdown and mentions. These helpers make
// such text safe to embed without letting it ping a channel or break the surrounding markup.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace warroom::domain {

/// The text with every invalid UTF-8 byte (overlong forms, surrogates, stray continuation bytes,
/// truncated sequences) replaced by U+FFFD.
std::string valid_utf8(std::string_view text);

/// Appends the UTF-8 encoding of `cp` (at most U+10FFFF, not a surrogate: the caller checks).
void append_utf8(std::string& out, char32_t cp);

/// Number of code points ("runes", Mattermost's unit for lengths) in valid UTF-8.
std::size_t rune_count(std::string_view text);

/// valid_utf8(text), then control characters (newlines and tabs included) become spaces, runs of
/// white space collapse to one space, and leading/trailing white space is dropped.
std::string single_line(std::string_view text);

/// Cut valid_utf8(text) to at most `max` units, never splitting a code point. When something is
/// cut, the result ends with "…" (counted in the limit) unless the limit is too small for it.
std::string cut_runes(std::string_view text, std::size_t max);
std::string cut_bytes(std::string_view text, std::size_t max);
/// Units are UTF-16 code units: what Java (Jira) counts as "characters".
std::string cut_utf16(std::string_view text, std::size_t max);

/// Backslash-escapes the markdown punctuation that could format or link inline text. Line-start
/// syntax (`#`, `>`, `-`, tables) is left alone: escaped text is only ever placed after a prefix.
std::string escape_markdown(std::string_view text);

/// Breaks every @-mention (a `@` not preceded by a letter or digit, so e-mail addresses stay
/// intact) and Slack-style `<!channel>` by inserting a zero-width space. For text that comes
/// from outside (PagerDuty titles, notes, names): nobody gets pinged by it.
std::string neutralise_mentions(std::string_view text);

/// Breaks only the channel-wide mentions (@channel, @here, @all, @everyone, `<!…>`), keeping
/// ordinary @username mentions. Applied to everything the card and the messages emit.
std::string neutralise_broadcasts(std::string_view text);

/// single_line, cut to `max_runes`, markdown escaped and mentions neutralised: the one way an
/// outside string enters a markdown message.
std::string untrusted_inline(std::string_view text, std::size_t max_runes);

/// `[label](url)` with the label escaped and the URL characters that would end the link
/// percent-encoded; just the escaped label when `url` is empty.
std::string markdown_link(std::string_view label, std::string_view url);

}  // namespace warroom::domain
