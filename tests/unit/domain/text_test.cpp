#include <string>
#include <vector>

#include <gtest/gtest.h>

#include <warroom/domain/text.hpp>

namespace warroom::domain::text_test {
namespace {

const std::string fffd = "\xEF\xBF\xBD";
const std::string zwsp = "\xE2\x80\x8B";

struct text_case {
  std::string input;
  std::string expected;
};

TEST(Text, ValidUtf8ReplacesEachInvalidByte) {
  const std::vector<text_case> cases = {
      {"plain", "plain"},
      {"caf\xC3\xA9", "caf\xC3\xA9"},
      {"\xF0\x9F\x94\xA5", "\xF0\x9F\x94\xA5"},  // emoji kept
      {"a\xFF"
       "b",
       "a" + fffd + "b"},                               // never a lead byte
      {"\xC3", fffd},                                   // truncated sequence
      {"\xC0\xAF", fffd + fffd},                        // overlong '/'
      {"\xED\xA0\x80", fffd + fffd + fffd},             // UTF-16 surrogate
      {"\xF4\x90\x80\x80", fffd + fffd + fffd + fffd},  // above U+10FFFF
      {"\x80x", fffd + "x"},                            // stray continuation byte
  };
  for (const auto& c : cases)
    EXPECT_EQ(valid_utf8(c.input), c.expected) << c.input;
}

TEST(Text, RuneCountCountsCodePoints) {
  EXPECT_EQ(rune_count(""), 0u);
  EXPECT_EQ(rune_count("abc"), 3u);
  EXPECT_EQ(rune_count("\xC3\xA9\xE6\x9D\xB1\xF0\x9F\x94\xA5"), 3u);
}

TEST(Text, SingleLineCollapsesWhiteSpaceAndControls) {
  const std::vector<text_case> cases = {
      {"  a\n\tb  ", "a b"},
      {"a\r\n\r\nb", "a b"},
      {"\x01x\x7F", "x"},
      {"a\xE2\x80\xA8"
       "b",
       "a b"},  // U+2028 line separator
      {"\n\n", ""},
      {"a\xFF", "a" + fffd},
  };
  for (const auto& c : cases)
    EXPECT_EQ(single_line(c.input), c.expected) << c.input;
}

TEST(Text, CutRunesNeverSplitsASequence) {
  const std::string e = "\xC3\xA9";  // é: 2 bytes, 1 rune
  EXPECT_EQ(cut_runes(e + e + e + e + e, 5), e + e + e + e + e);
  EXPECT_EQ(cut_runes(e + e + e + e + e, 3), e + e + "\xE2\x80\xA6");
  EXPECT_EQ(cut_runes(e + e, 1), "\xE2\x80\xA6");
  EXPECT_EQ(cut_runes(e + e, 0), "");
  EXPECT_EQ(cut_runes("ab cd", 4), "ab\xE2\x80\xA6");  // no space left before the ellipsis
}

TEST(Text, CutBytesCountsTheEllipsisBytes) {
  EXPECT_EQ(cut_bytes("a\xC3\xA9", 2), "a");  // too small for "…": cut without it
  EXPECT_EQ(cut_bytes("aaaa\xC3\xA9", 4), "a\xE2\x80\xA6");
  EXPECT_EQ(cut_bytes("a\xC3\xA9", 3), "a\xC3\xA9");
}

TEST(Text, CutUtf16CountsAstralCharactersTwice) {
  const std::string fire = "\xF0\x9F\x94\xA5";
  EXPECT_EQ(cut_utf16(fire + fire + fire, 6), fire + fire + fire);
  EXPECT_EQ(cut_utf16(fire + fire + fire, 4), fire + "\xE2\x80\xA6");
}

TEST(Text, EscapeMarkdownEscapesFormattingPunctuation) {
  EXPECT_EQ(escape_markdown("*bold* _it_ [a](b) `c` ~s~ #1 <x> |"),
            "\\*bold\\* \\_it\\_ \\[a\\](b) \\`c\\` \\~s\\~ #1 \\<x\\> |");
  EXPECT_EQ(escape_markdown("back\\slash"), "back\\\\slash");
}

TEST(Text, NeutraliseMentionsBreaksEveryMention) {
  const std::vector<text_case> cases = {
      {"@channel", "@" + zwsp + "channel"},
      {"wake up @here!", "wake up @" + zwsp + "here!"},
      {"@ALL hands", "@" + zwsp + "ALL hands"},
      {"ping @alice", "ping @" + zwsp + "alice"},
      {"(@bob)", "(@" + zwsp + "bob)"},
      {"<!channel> <!here>", "<" + zwsp + "!channel> <" + zwsp + "!here>"},
      {"ops@example.com", "ops@example.com"},  // e-mail addresses are not mentions
      {"a @ b", "a @ b"},
      {"trailing @", "trailing @"},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(neutralise_mentions(c.input), c.expected) << c.input;
    EXPECT_EQ(neutralise_mentions(c.expected), c.expected) << "idempotent: " << c.input;
  }
}

TEST(Text, NeutraliseBroadcastsKeepsUserMentions) {
  const std::vector<text_case> cases = {
      {"@alice", "@alice"},
      {"@allison @heres @channels", "@allison @heres @channels"},
      {"@all", "@" + zwsp + "all"},
      {"@channel.", "@" + zwsp + "channel."},
      {"x@here", "x@" + zwsp + "here"},
      {"@Everyone", "@" + zwsp + "Everyone"},
      {"<!all>", "<" + zwsp + "!all>"},
  };
  for (const auto& c : cases)
    EXPECT_EQ(neutralise_broadcasts(c.input), c.expected) << c.input;
}

TEST(Text, UntrustedInlineIsOneSafeBoundedLine) {
  EXPECT_EQ(untrusted_inline("  *DB*\n@here  ", 100), "\\*DB\\* @" + zwsp + "here");
  EXPECT_EQ(untrusted_inline("abcdef", 4), "abc\xE2\x80\xA6");
  EXPECT_EQ(untrusted_inline("@_ops <!here>", 100), "@" + zwsp + "\\_ops \\<" + zwsp + "!here\\>");
}

TEST(Text, MarkdownLinkEncodesCharactersThatEndTheLink) {
  EXPECT_EQ(markdown_link("OPS-1", "https://acme.atlassian.net/browse/OPS-1"),
            "[OPS-1](https://acme.atlassian.net/browse/OPS-1)");
  EXPECT_EQ(markdown_link("a]b", "https://x/y (z)\xC3\xA9"),
            "[a\\]b](https://x/y%20%28z%29%C3%A9)");
  EXPECT_EQ(markdown_link("OPS_1", ""), "OPS\\_1");
}

std::string encoded(char32_t cp) {
  std::string out = "x";
  append_utf8(out, cp);
  return out.substr(1);
}

TEST(AppendUtf8, EncodesEachLengthAtItsEdges) {
  EXPECT_EQ(encoded(0x00), std::string(1, '\0'));
  EXPECT_EQ(encoded(0x41), "A");
  EXPECT_EQ(encoded(0x7F), "\x7f");
  EXPECT_EQ(encoded(0x80), "\xc2\x80");
  EXPECT_EQ(encoded(0x7FF), "\xdf\xbf");
  EXPECT_EQ(encoded(0x800), "\xe0\xa0\x80");
  EXPECT_EQ(encoded(0xFFFF), "\xef\xbf\xbf");
  EXPECT_EQ(encoded(0x10000), "\xf0\x90\x80\x80");
  EXPECT_EQ(encoded(0x10FFFF), "\xf4\x8f\xbf\xbf");
  for (const char32_t cp : {0x41u, 0xE9u, 0x2603u, 0x1F600u})
    EXPECT_EQ(valid_utf8(encoded(cp)), encoded(cp));  // what it writes reads back as valid
}

}  // namespace
}  // namespace warroom::domain::text_test
