#include <gtest/gtest.h>

#include <warroom/webhook/form.hpp>

namespace warroom::webhook::form_test {
namespace {

struct form_case {
  const char* body;
  bool ok;
  const char* name;  // a field to check when ok
  const char* value;
};

TEST(ParseForm, DecodesOrRefusesStrictly) {
  const form_case cases[] = {
      {"", true, nullptr, nullptr},
      {"a=1", true, "a", "1"},
      {"text=note+the+db%21", true, "text", "note the db!"},
      {"text=%e2%9c%93", true, "text", "\xe2\x9c\x93"},
      {"a=&b=2", true, "a", ""},
      {"a%5Bb%5D=x", true, "a[b]", "x"},
      {"text=a%2Bb", true, "text", "a+b"},
      {"text=50%25", true, "text", "50%"},
      {"a=1&a=2", false, nullptr, nullptr},    // duplicates refused, not first- or last-wins
      {"a=1&%61=2", false, nullptr, nullptr},  // the same name, escaped
      {"a", false, nullptr, nullptr},
      {"=x", false, nullptr, nullptr},
      {"a=1&&b=2", false, nullptr, nullptr},
      {"a=%", false, nullptr, nullptr},
      {"a=%4", false, nullptr, nullptr},
      {"a=%zz", false, nullptr, nullptr},
      {"a=%00", false, nullptr, nullptr},
  };
  for (const auto& c : cases) {
    auto form = parse_form(c.body);
    EXPECT_EQ(form.has_value(), c.ok) << c.body;
    if (form && c.name) {
      ASSERT_TRUE(form->contains(c.name)) << c.body;
      EXPECT_EQ(form->find(c.name)->second, c.value) << c.body;
    }
    if (!form) {
      EXPECT_EQ(form.error().code, "bad_request");
    }
  }
}

TEST(ParseForm, BoundsTheNumberOfFields) {
  std::string body;
  for (int i = 0; i < 5; ++i)
    body += (i ? "&f" : "f") + std::to_string(i) + "=v";
  EXPECT_TRUE(parse_form(body, 5).has_value());
  EXPECT_FALSE(parse_form(body + "&x=1", 5).has_value());
}

TEST(EncodeForm, RoundTripsThroughTheParser) {
  const form_fields fields = {{"text", "note a+b 100% é&=x"}, {"token", "t0k"}, {"empty", ""}};
  const auto body = encode_form(fields);
  EXPECT_EQ(body.find(' '), std::string::npos);
  EXPECT_EQ(body.substr(0, 7), "empty=&");  // sorted like Go's url.Values.Encode
  auto parsed = parse_form(body);
  ASSERT_TRUE(parsed.has_value());
  EXPECT_EQ(*parsed, fields);
}

}  // namespace
}  // namespace warroom::webhook::form_test
