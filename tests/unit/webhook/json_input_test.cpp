#include <string>

#include <gtest/gtest.h>

#include <warroom/webhook/json_input.hpp>

namespace warroom::webhook::json_input_test {
namespace {

TEST(JsonDepth, CountsArraysAndObjects) {
  EXPECT_TRUE(json_depth_within("", 0));
  EXPECT_TRUE(json_depth_within("1", 0));
  EXPECT_FALSE(json_depth_within("[]", 0));
  EXPECT_TRUE(json_depth_within("[{}]", 2));
  EXPECT_FALSE(json_depth_within("[{}]", 1));
  EXPECT_TRUE(json_depth_within("[[],[],[]]", 2));  // siblings do not add up
}

TEST(JsonDepth, IgnoresBracketsInsideStrings) {
  EXPECT_TRUE(json_depth_within(R"({"a":"[[[[[[","b":"\"[[[["})", 1));
  EXPECT_FALSE(json_depth_within(R"({"a":"\\",[[]]})", 2));  // escaped backslash ends the escape
}

TEST(JsonDepth, StopsAtANulOutsideAStringAsNlohmannDoes) {
  EXPECT_TRUE(json_depth_within(std::string("[1]\0[[[[", 8), 1));
  EXPECT_FALSE(json_depth_within(std::string("[\"\0\"[[", 6), 1));  // inside a string: not the end
  EXPECT_TRUE(parse_json_body(std::string("[1]\0[[[[", 8)).has_value());
}

TEST(JsonDepth, UnbalancedClosersDoNotUnderflow) {
  EXPECT_TRUE(json_depth_within("]]]]}}}", 0));
  EXPECT_FALSE(json_depth_within("]]][[", 1));
}

TEST(ParseJsonBody, RejectsDeepNestingWithoutRecursing) {
  const std::string deep(100000, '[');
  const auto parsed = parse_json_body(deep);
  ASSERT_FALSE(parsed);
  EXPECT_EQ(parsed.error().code, errc::malformed_json);
  EXPECT_LT(parsed.error().message.size(), 100u);
}

TEST(ParseJsonBody, AcceptsNestingAtTheLimit) {
  const std::string at_limit = std::string(max_json_depth, '[') + std::string(max_json_depth, ']');
  EXPECT_TRUE(parse_json_body(at_limit));
  const std::string over = '[' + at_limit + ']';
  EXPECT_FALSE(parse_json_body(over));
}

TEST(ParseJsonBody, MalformedInputsAreErrorsNotExceptions) {
  for (const std::string& body :
       {std::string{}, std::string("{"), std::string("{\"a\":}"), std::string("\xff\xfe\x00", 3),
        std::string("{\"a\":\"\xc3\x28\"}"), std::string("nul"), std::string("{} trailing")}) {
    const auto parsed = parse_json_body(body);
    ASSERT_FALSE(parsed) << "accepted: " << body;
    EXPECT_EQ(parsed.error().code, errc::malformed_json);
  }
}

TEST(FieldReaders, WrongTypesReadAsAbsent) {
  const auto doc = nlohmann::json::parse(
      R"({"s":"x","n":7,"neg":-3,"f":1.5,"big":18446744073709551615,"o":{},"a":[],"null":null})");
  EXPECT_EQ(string_field(doc, "s"), "x");
  EXPECT_EQ(string_field(doc, "n"), "");
  EXPECT_EQ(optional_string_field(doc, "null"), std::nullopt);
  EXPECT_EQ(optional_string_field(doc, "missing"), std::nullopt);
  EXPECT_EQ(integer_field(doc, "n"), 7);
  EXPECT_EQ(integer_field(doc, "neg"), -3);
  EXPECT_EQ(integer_field(doc, "f"), std::nullopt);
  EXPECT_EQ(integer_field(doc, "big"), std::nullopt);
  EXPECT_EQ(integer_field(doc, "s"), std::nullopt);
  EXPECT_NE(object_field(doc, "o"), nullptr);
  EXPECT_EQ(object_field(doc, "a"), nullptr);
  EXPECT_NE(array_field(doc, "a"), nullptr);
  EXPECT_EQ(array_field(doc, "null"), nullptr);
}

TEST(FieldReaders, NonObjectParentsReadAsAbsent) {
  for (const auto& parent : {nlohmann::json::array({1}), nlohmann::json(3), nlohmann::json()}) {
    EXPECT_EQ(string_field(parent, "s"), "");
    EXPECT_EQ(object_field(parent, "o"), nullptr);
    EXPECT_EQ(integer_field(parent, "n"), std::nullopt);
  }
}

}  // namespace
}  // namespace warroom::webhook::json_input_test
