#include <algorithm>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <warroom/webhook/json_skim.hpp>

#include "support/fixtures.hpp"

namespace warroom::webhook::json_skim_test {
namespace {

using nlohmann::json;

// Wants nothing: only validation.
class nothing_wanted final : public skim_handler {
 public:
  plan plan_member(int, std::string_view) override { return {}; }
  void member(int, std::string_view, skim_kind, std::string_view) override {}
};

skim_status skim(std::string_view text, std::size_t max_depth = 64) {
  nothing_wanted handler;
  return skim_json(text, max_depth, handler);
}

// The skim accepts exactly what nlohmann accepts (the texts here nest less than 64 deep).
void expect_agree(const std::string& text) {
  const bool accepted = json::accept(text.begin(), text.end());
  EXPECT_EQ(skim(text) == skim_status::ok, accepted) << '[' << text << ']';
}

TEST(JsonSkim, AcceptsExactlyWhatNlohmannAccepts) {
  const std::vector<std::string> texts = {
      // values and whitespace
      "{}", "[]", "0", "-0", "1", "-1", "12.5", "1e5", "1E+5", "1e-5", "-0.0e0", "true", "false",
      "null", "\"\"", " \t\r\n{ } \n", "{\"a\":[1,2,{\"b\":null}]}", "[ 1 , 2 ]",
      "{\"a\" : 1 , \"b\" : 2}",
      // grammar errors
      "", " ", "{", "}", "[", "]", "{\"a\"}", "{\"a\":}", "{\"a\":1,}", "[1,]", "[,1]", "{,}",
      "{1:2}", "{'a':1}", "[1 2]", "{\"a\":1 \"b\":2}", "tru", "truex", "nul", "True", "NULL",
      "[true false]", "{} {}", "{}x", "{}]",
      // numbers
      "01", "-", "+1", "1.", ".5", "1e", "1e+", "-01", "0x10", "1.5e", "00", "-.5", "1e400",
      "-1e400", "1e-400", "123456789012345678901234567890", std::string(400, '9'),
      std::string(308, '9'), "[1e309]", "[1.7976931348623157e308]", "18446744073709551615",
      "18446744073709551616", "-9223372036854775808", "-9223372036854775809", "NaN", "Infinity",
      "-Infinity",
      // strings: escapes and control characters
      R"("\"\\\/\b\f\n\r\t")", R"("\u0041")", R"("\u00e9")", R"("\uD83D\uDE00")", R"("\uD83D")",
      R"("\uDE00")", R"("\uD83Dx")", R"("\uD83D\u0041")", R"("\u12")", R"("\u12G4")", R"("\x")",
      R"("\)", R"("\U0041")", "\"a\tb\"", "\"a\nb\"", std::string("\"a\0b\"", 5), "\"\x7f\"",
      "\"abc", "\"\\\"",
      // UTF-8
      "\"\xc3\xa9\"", "\"\xc3\"", "\"\xc0\x80\"", "\"\xc1\xbf\"", "\"\xe0\x80\x80\"",
      "\"\xe0\xa0\x80\"", "\"\xed\xa0\x80\"", "\"\xed\x9f\xbf\"", "\"\xef\xbf\xbf\"",
      "\"\xf0\x8f\xbf\xbf\"", "\"\xf0\x90\x80\x80\"", "\"\xf4\x8f\xbf\xbf\"",
      "\"\xf4\x90\x80\x80\"", "\"\xf5\x80\x80\x80\"", "\"\xff\"", "\"\x80\"", "\"\xe2\x82\"",
      "\"\xe2\x82\xac\"",
      // a byte order mark, a NUL after the value
      "\xef\xbb\xbf{}", "\xef\xbb{}", "\xef{}", "\xef\xbb\xbf", " \xef\xbb\xbf{}",
      std::string("{}\0garbage", 10), std::string("{\"a\":\0}", 7), std::string("\0", 1),
      std::string("[1]\0", 4)};
  for (const auto& text : texts)
    expect_agree(text);
}

TEST(JsonSkim, AgreesOnEveryTruncationOfTheFixtures) {
  for (const auto& file : fixtures::files("pagerduty", "webhook-v3-")) {
    const std::string text =
        fixtures::read(std::filesystem::relative(file, fixtures::path("")).string());
    // About 150 cuts a file: every few bytes of the small ones, spread over the large ones.
    const std::size_t step = std::max<std::size_t>(7, text.size() / 150);
    for (std::size_t cut = 0; cut <= text.size(); cut += step)
      expect_agree(text.substr(0, cut));
  }
}

TEST(JsonSkim, BoundsDepthAndSaysSo) {
  const auto nested = [](std::size_t depth) {
    return std::string(depth, '[') + std::string(depth, ']');
  };
  EXPECT_EQ(skim(nested(64)), skim_status::ok);
  EXPECT_EQ(skim(nested(65)), skim_status::too_deep);
  EXPECT_EQ(skim(nested(100000)), skim_status::too_deep);
  EXPECT_EQ(skim("{\"a\":" + nested(3) + "}", 4), skim_status::ok);
  EXPECT_EQ(skim("{\"a\":" + nested(4) + "}", 4), skim_status::too_deep);
  // A grammar error before the bound is a grammar error.
  EXPECT_EQ(skim("[}" + nested(100)), skim_status::malformed);
}

// Records every callback, and wants the members named in `wanted` of objects it looks inside.
class recorder final : public skim_handler {
 public:
  std::vector<std::string> seen;

  plan plan_member(int parent, std::string_view key) override {
    if (key == "inner") return {parent + 1, true};
    if (key == "id" || key == "skipped_object") return {ignore, true};
    return {};
  }
  void member(int parent, std::string_view key, skim_kind kind, std::string_view text) override {
    static constexpr const char* kinds[] = {"object", "array", "string", "other"};
    seen.push_back(std::to_string(parent) + ' ' + std::string(key) + ' ' +
                   kinds[static_cast<int>(kind)] + ' ' + std::string(text));
  }
};

TEST(JsonSkim, HandsTheWantedMembersUnescaped) {
  recorder handler;
  const std::string text =
      R"({"id":"a\u00e9\"b","other":{"id":"not watched"},"\u0069d":5,)"
      R"("inner":{"id":"x\ty","inner":{"id":"\uD83D\uDE00 deep"},"inner":[1]},)"
      R"("skipped_object":{"id":"nope"},"list":[{"id":"nope"}]})";
  ASSERT_EQ(skim_json(text, 64, handler), skim_status::ok);
  const std::vector<std::string> expected = {
      "0 id string a\xc3\xa9\"b", "0 id other ",
      "0 inner object ",          "1 id string x\ty",
      "1 inner object ",          "2 id string \xf0\x9f\x98\x80 deep",
      "1 inner array ",           "0 skipped_object object ",
  };
  EXPECT_EQ(handler.seen, expected);
}

TEST(JsonSkim, AnEscapedKeySurvivesAnEscapedValue) {
  recorder handler;
  ASSERT_EQ(skim_json(R"({"\u0069nner":{"\u0069d":"v\u0061lue"}})", 64, handler), skim_status::ok);
  const std::vector<std::string> expected = {"0 inner object ", "1 id string value"};
  EXPECT_EQ(handler.seen, expected);
}

TEST(JsonSkim, AgreesOnMutationsOfTheFixtures) {
  std::uint32_t seed = 4242;
  auto next = [&seed] { return seed = seed * 1664525u + 1013904223u; };
  const char bytes[] = {'{', '}', '[', ']', '"',    ',',    ':',    '\\',   'u',  'e',
                        '0', '-', '.', ' ', '\x80', '\xc3', '\xed', '\xf4', '\0', 'D'};
  for (const auto& file : fixtures::files("pagerduty", "webhook-v3-")) {
    const std::string text =
        fixtures::read(std::filesystem::relative(file, fixtures::path("")).string());
    if (text.empty()) continue;
    for (int i = 0; i < 300; ++i) {
      std::string mutated = text;
      for (int flips = 1 + static_cast<int>(next() % 3); flips > 0; --flips)
        mutated[next() % mutated.size()] = bytes[next() % sizeof bytes];
      expect_agree(mutated);
    }
  }
}

}  // namespace
}  // namespace warroom::webhook::json_skim_test
