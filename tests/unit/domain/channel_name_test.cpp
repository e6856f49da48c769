#include <regex>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include <warroom/domain/channel_name.hpp>
#include <warroom/domain/text.hpp>

namespace warroom::domain::channel_name_test {
namespace {

std::string repeat(std::string_view part, int times) {
  std::string out;
  for (int i = 0; i < times; ++i)
    out += part;
  return out;
}

/// The rules every channel name must satisfy, whatever the input.
void expect_valid_name(const std::string& name) {
  static const std::regex shape("^[a-z0-9]([a-z0-9-]*[a-z0-9])?$");
  static const std::regex hex40("^[0-9a-f]{40}$");
  EXPECT_TRUE(std::regex_match(name, shape)) << name;
  EXPECT_LE(name.size(), 64u) << name;
  EXPECT_GE(name.size(), 2u) << name;  // Mattermost's minimum
  EXPECT_NE(name.size(), 26u) << name;
  EXPECT_FALSE(std::regex_match(name, hex40)) << name;
  EXPECT_EQ(name.find("--"), std::string::npos) << name;
}

struct slug_case {
  std::string pattern;
  naming_fields fields;
  std::string expected;
};

TEST(ChannelName, SlugTable) {
  const std::string hex = "0123456789ABCDEF0123456789abcdef01234567";
  const std::vector<slug_case> cases = {
      {"inc-{number}-{title}", {42, "API bump", "", "", "P1"}, "inc-42-api-bump"},
      // exactly 26 characters: "-1" appended
      {"inc-{number}-{title}",
       {37, "Database is on FIRE!!", "", "", "P1"},
       "inc-37-database-is-on-fire-1"},
      {"inc-{number}-{title}",
       {1, "Caf\xC3\xA9 d\xC3\xA9j\xC3\xA0 vu \xE2\x80\x94 \xE6\x9D\xB1\xE4\xBA\xAC", "", "", "P1"},
       "inc-1-caf-d-j-vu"},
      {"inc-{number}-{title}",
       {2, "\xF0\x9F\x94\xA5 API down \xF0\x9F\x94\xA5", "", "", "P1"},
       "inc-2-api-down"},
      {"inc-{number}-{title}", {3, "!!! ??? ...", "", "", "P1"}, "inc-3"},
      {"inc-{number}-{title}", {4, "disk_full on db_01", "", "", "P1"}, "inc-4-disk-full-on-db-01"},
      {"{title}", {5, "!!! ???", "", "", "PABC123"}, "inc-pabc123"},  // empty: fallback
      {"{title}", {5, "", "", "", ""}, "inc"},
      // one character is too short for Mattermost: fallback too (found by channel_name_fuzz)
      {"{title}", {5, "x", "", "", "PABC123"}, "inc-pabc123"},
      {"{number}", {7, "", "", "", "P7"}, "inc-p7"},
      {"\x83s", {7, "", "", "", ""}, "inc"},
      {"{service}_{urgency}/{id}#{number}",
       {6, "x", "API Gateway", "high", "PX9"},
       "api-gateway-high-px9-6"},
      {"{foo}-{number}-{title", {7, "t", "", "", "P"}, "foo-7-title"},  // unknown stay literal
      {"{title}", {8, hex, "", "", "P"}, "0123456789abcdef0123456789abcdef01234567-1"},
      {"{id}", {8, "", "", "", hex}, "0123456789abcdef0123456789abcdef01234567-1"},
      // 200 characters of words: cut at the last '-' within 64 bytes
      {"inc-{number}-{title}",
       {9, repeat("abcdefghi ", 20), "", "", "P"},
       "inc-9" + repeat("-abcdefghi", 5)},
      // one long word: no '-' in the second half, so a hard cut at 64
      {"inc-{number}-{title}", {1, repeat("x", 100), "", "", "P"}, "inc-1-" + repeat("x", 58)},
  };
  for (const auto& c : cases) {
    const std::string slug = channel_slug(c.pattern, c.fields);
    EXPECT_EQ(slug, c.expected) << c.pattern << " / " << c.fields.title;
    expect_valid_name(slug);
  }
}

TEST(ChannelName, SlugOfLongPatternsStaysValid) {
  // Whatever lengths the cut produces, the rules hold (including landing on 26 characters).
  for (int words = 0; words < 40; ++words) {
    for (int width = 1; width < 12; ++width) {
      naming_fields fields{words, repeat(repeat("w", width) + " ", words), "", "", "PQ"};
      expect_valid_name(channel_slug("inc-{number}-{title}", fields));
    }
  }
}

TEST(ChannelName, WithSuffixTable) {
  const std::string long_words = "inc-9" + repeat("-abcdefghi", 5) + "-abcdefgh";  // 64 bytes
  ASSERT_EQ(long_words.size(), 64u);
  const std::vector<std::tuple<std::string, int, std::string>> cases = {
      {"inc-37-db", 2, "inc-37-db-2"},
      {"inc-37-db", 3, "inc-37-db-3"},
      {"inc-37-db", 1, "inc-37-db"},  // the first one has no suffix
      {"inc-1234-disk-full-on-db", 2, "inc-1234-disk-full-on-db-02"},  // 26 avoided
      {long_words, 2, "inc-9" + repeat("-abcdefghi", 5) + "-2"},       // cut at a word
      {repeat("x", 64), 10, repeat("x", 61) + "-10"},
  };
  for (const auto& [slug, n, expected] : cases) {
    const std::string name = with_suffix(slug, n);
    EXPECT_EQ(name, expected) << slug << " " << n;
    expect_valid_name(name);
  }
}

TEST(ChannelName, WithSuffixNeverLandsOn26) {
  for (int length = 1; length <= 64; ++length) {
    for (int n : {2, 3, 9, 10, 99, 100})
      expect_valid_name(with_suffix(repeat("a", length), n));
  }
}

TEST(ChannelName, DisplayNameCutsAt64RunesOnSequenceBoundaries) {
  const std::string e = "\xC3\xA9";
  const std::string fire = "\xF0\x9F\x94\xA5";
  EXPECT_EQ(display_name(37, "Database on fire"), "INC 37: Database on fire");
  EXPECT_EQ(display_name(5, "  \n "), "INC 5");
  EXPECT_EQ(display_name(1, "a\nb"), "INC 1: a b");
  EXPECT_EQ(display_name(1, "bad \xFF"), "INC 1: bad \xEF\xBF\xBD");
  for (const std::string& unit : {e, fire, std::string("\xE6\x9D\xB1")}) {
    const std::string name = display_name(12, repeat(unit, 100));
    EXPECT_EQ(rune_count(name), 64u);
    EXPECT_EQ(valid_utf8(name), name);  // no split sequence
    EXPECT_EQ(name, "INC 12: " + repeat(unit, 55) + "\xE2\x80\xA6");
  }
}

TEST(ChannelName, JiraSummaryCutsAt255Characters) {
  EXPECT_EQ(jira_summary(37, "Database on fire"), "[PD #37] Database on fire");
  EXPECT_EQ(jira_summary(37, ""), "[PD #37]");
  const std::string e = "\xC3\xA9";
  const std::string summary = jira_summary(1, repeat(e, 300));
  EXPECT_EQ(rune_count(summary), 255u);
  EXPECT_EQ(summary, "[PD #1] " + repeat(e, 246) + "\xE2\x80\xA6");
  // astral characters count twice in Jira (UTF-16): 8 + 2*123 + 1 = 255
  const std::string fire = "\xF0\x9F\x94\xA5";
  EXPECT_EQ(jira_summary(1, repeat(fire, 200)), "[PD #1] " + repeat(fire, 123) + "\xE2\x80\xA6");
}

TEST(ChannelName, PurposeAndHeaderCarryTheLinks) {
  const channel_links links{37, "https://acme.pagerduty.com/incidents/Q2C", "OPS-1",
                            "https://acme.atlassian.net/browse/OPS-1"};
  EXPECT_EQ(channel_purpose(links),
            "PagerDuty incident #37: https://acme.pagerduty.com/incidents/Q2C \xC2\xB7 Jira OPS-1: "
            "https://acme.atlassian.net/browse/OPS-1");
  EXPECT_EQ(channel_header(links),
            "[PagerDuty #37](https://acme.pagerduty.com/incidents/Q2C) \xC2\xB7 "
            "[Jira OPS-1](https://acme.atlassian.net/browse/OPS-1)");
  const channel_links no_jira{37, "https://acme.pagerduty.com/incidents/Q2C", "", ""};
  EXPECT_EQ(channel_purpose(no_jira),
            "PagerDuty incident #37: https://acme.pagerduty.com/incidents/Q2C");
  EXPECT_EQ(channel_header(no_jira), "[PagerDuty #37](https://acme.pagerduty.com/incidents/Q2C)");
}

TEST(ChannelName, PurposeAndHeaderStayWithinLimits) {
  const channel_links huge{1, "https://pd/" + repeat("p", 2000), "OPS-1",
                           "https://jira/" + repeat("j", 2000)};
  EXPECT_LE(rune_count(channel_purpose(huge)), 250u);
  EXPECT_LE(rune_count(channel_header(huge)), 1024u);
}

}  // namespace
}  // namespace warroom::domain::channel_name_test
