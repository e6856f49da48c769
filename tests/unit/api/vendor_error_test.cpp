#include <functional>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include <warroom/api/mattermost.hpp>
#include <warroom/api/pagerduty.hpp>
#include <warroom/api/vendor_error.hpp>

namespace warroom::api::vendor_error_test {
namespace {

TEST(VendorError, SuccessAndTransientStatuses) {
  EXPECT_TRUE(is_success(200));
  EXPECT_TRUE(is_success(201));
  EXPECT_TRUE(is_success(204));
  EXPECT_FALSE(is_success(199));
  EXPECT_FALSE(is_success(300));
  EXPECT_FALSE(is_success(404));
  for (unsigned status : {408u, 429u, 500u, 502u, 503u, 504u, 599u})
    EXPECT_TRUE(is_transient_status(status)) << status;
  for (unsigned status : {200u, 201u, 400u, 401u, 403u, 404u, 409u, 600u})
    EXPECT_FALSE(is_transient_status(status)) << status;
}

TEST(VendorError, ParseBodyNeverThrows) {
  EXPECT_TRUE(parse_body("").is_discarded());
  EXPECT_TRUE(parse_body("limit exceeded").is_discarded());
  EXPECT_TRUE(parse_body("{\"a\":").is_discarded());
  EXPECT_TRUE(parse_body("{\"a\":1} trailing").is_discarded());
  EXPECT_TRUE(parse_body("\"\xff\xfe\"").is_discarded());
  EXPECT_EQ(parse_body("{\"a\":1}")["a"], 1);
  EXPECT_TRUE(parse_body("[]").is_array());
}

TEST(VendorError, DeeplyNestedBodyIsHandledWithoutRecursion) {
  const std::string deep = std::string(100000, '[') + std::string(100000, ']');
  const auto parsed = parse_body(deep);
  EXPECT_TRUE(parsed.is_array());
  EXPECT_EQ(object_at(parsed, "error"), nullptr);
}

TEST(VendorError, ToBodyReplacesInvalidUtf8) {
  const nlohmann::json value = {{"title", std::string("bad \xff byte")}};
  std::string body;
  EXPECT_NO_THROW(body = to_body(value));
  EXPECT_EQ(body, "{\"title\":\"bad \xEF\xBF\xBD byte\"}");
}

TEST(VendorError, VendorTextIsBoundedAndPrintable) {
  EXPECT_EQ(vendor_text("  limit exceeded\n"), "limit exceeded");
  EXPECT_EQ(vendor_text("a\r\nInjected: header\x7f"), "a  Injected: header");
  EXPECT_EQ(vendor_text(""), "");
  EXPECT_EQ(vendor_text("\n\t "), "");
  EXPECT_EQ(vendor_text(std::string(5000, 'x')).size(), max_vendor_text);
  EXPECT_EQ(vendor_text("caf\xC3\xA9"), "caf\xC3\xA9");
}

TEST(VendorError, VendorTextDoesNotCutARuneInHalf) {
  // 511 ASCII bytes, then a 2-byte rune straddling the limit: the rune goes, not half of it.
  const std::string text = std::string(max_vendor_text - 1, 'x') + "\xC3\xA9" + "tail";
  const std::string out = vendor_text(text);
  EXPECT_EQ(out, std::string(max_vendor_text - 1, 'x'));
  // A rune ending exactly at the limit stays whole.
  const std::string exact = std::string(max_vendor_text - 2, 'x') + "\xC3\xA9" + "tail";
  EXPECT_EQ(vendor_text(exact), std::string(max_vendor_text - 2, 'x') + "\xC3\xA9");
}

TEST(VendorError, HttpStatusErrorCarriesStatusAndText) {
  const error plain = http_status_error("Mattermost", http_reply{429, {}, "limit exceeded\n"});
  EXPECT_EQ(plain.code, "http_429");
  EXPECT_EQ(plain.message, "Mattermost answered HTTP 429: limit exceeded");
  const error empty = http_status_error("PagerDuty", http_reply{503, {}, ""});
  EXPECT_EQ(empty.code, "http_503");
  EXPECT_EQ(empty.message, "PagerDuty answered HTTP 503");
  const error huge = http_status_error("Jira", http_reply{502, {}, std::string(100000, 'h')});
  EXPECT_EQ(huge.message.size(), max_vendor_text);
  EXPECT_TRUE(huge.message.starts_with("Jira answered HTTP 502: hhh"));
}

TEST(VendorError, BadReplyNamesVendorAndField) {
  const error err = bad_reply("PagerDuty", "note.id missing");
  EXPECT_EQ(err.code, bad_reply_code);
  EXPECT_EQ(err.message, "PagerDuty reply: note.id missing");
}

TEST(VendorError, EncodePathSegmentKeepsAtSign) {
  EXPECT_EQ(encode_path_segment("alice@example.com"), "alice@example.com");
  EXPECT_EQ(encode_path_segment("a+b@x.io"), "a%2Bb@x.io");
  EXPECT_EQ(encode_path_segment("a/b c@@"), "a%2Fb%20c@@");
  EXPECT_EQ(encode_path_segment(""), "");
}

TEST(VendorError, FieldAccessTreatsWrongTypesAsAbsent) {
  const auto j =
      parse_body(R"({"s":"x","i":7,"f":1.5,"b":true,"n":null,"o":{"k":1},"a":[1],"neg":-3,
                                 "big":18446744073709551615,"max":9223372036854775807})");
  EXPECT_EQ(string_at(j, "s"), "x");
  EXPECT_EQ(string_at(j, "i"), std::nullopt);
  EXPECT_EQ(string_at(j, "n"), std::nullopt);
  EXPECT_EQ(string_at(j, "missing"), std::nullopt);
  EXPECT_EQ(integer_at(j, "i"), 7);
  EXPECT_EQ(integer_at(j, "neg"), -3);
  EXPECT_EQ(integer_at(j, "big"), std::nullopt);
  EXPECT_EQ(integer_at(j, "max"), INT64_MAX);
  EXPECT_EQ(integer_at(j, "f"), std::nullopt);
  EXPECT_EQ(integer_at(j, "s"), std::nullopt);
  EXPECT_EQ(bool_at(j, "b"), true);
  EXPECT_EQ(bool_at(j, "i"), std::nullopt);
  EXPECT_NE(object_at(j, "o"), nullptr);
  EXPECT_EQ(object_at(j, "a"), nullptr);
  EXPECT_NE(array_at(j, "a"), nullptr);
  EXPECT_EQ(array_at(j, "o"), nullptr);
  // Lookups on non-objects read as absent instead of asserting.
  const auto array = parse_body("[1,2]");
  EXPECT_EQ(string_at(array, "s"), std::nullopt);
  EXPECT_EQ(object_at(parse_body("garbage"), "o"), nullptr);
}

template <class T>
std::optional<error> error_of(const result<T>& r) {
  return r ? std::nullopt : std::optional(r.error());
}

// Every PagerDuty and Mattermost reader, fed bodies of the wrong shape, answers an error (bad_reply
// for a 2xx, http_<status> otherwise) and never throws.
TEST(VendorReaders, GarbageIsAnErrorNeverAThrow) {
  using reader = std::function<std::optional<error>(const http_reply&)>;
  const std::vector<reader> readers = {
      [](const http_reply& r) { return error_of(read_incident_status(r)); },
      [](const http_reply& r) { return error_of(read_incident_note(r)); },
      [](const http_reply& r) { return error_of(read_oncalls(r)); },
      [](const http_reply& r) { return error_of(read_pagerduty_user(r)); },
      [](const http_reply& r) { return error_of(read_user_by_email(r, "a@b.io")); },
      [](const http_reply& r) { return error_of(read_incident(r)); },
      [](const http_reply& r) { return error_of(read_channel(r)); },
      [](const http_reply& r) { return error_of(read_channel_if_found(r)); },
      [](const http_reply& r) { return error_of(read_channel_member(r)); },
      [](const http_reply& r) { return error_of(read_mattermost_user(r)); },
      [](const http_reply& r) { return error_of(read_user_if_found(r)); },
      [](const http_reply& r) { return error_of(read_mattermost_users(r)); },
      [](const http_reply& r) { return error_of(read_post_id(r)); }};
  const std::vector<std::string> bodies = {
      "",
      "limit exceeded",
      "<html>502 Bad Gateway</html>",
      "42",
      "null",
      "\"incident\"",
      "{\"id\":",
      R"({"incident":"x","note":[],"user":1,"users":{},"oncalls":{}})",
      R"({"incident":{"status":5,"incident_number":"1"},"note":{"id":7},"user":{"id":null}})",
      R"({"users":[1],"oncalls":[{"user":"PU1","escalation_level":1}]})",
      R"({"users":[{"name":"x"}],"oncalls":[{"user":{"id":"PU1"},"escalation_level":"1"}]})",
      R"({"id":7,"name":[],"username":{},"channel_id":1})",
      R"([{"id":"u1"}])",
      R"([1,2])",
      R"({"id":null,"user_id":"u"})",
      std::string(2000, '[') + std::string(2000, ']'),
      std::string(2000, '{'),
      std::string(100000, 'x')};
  for (std::size_t i = 0; i < readers.size(); ++i) {
    for (const auto& body : bodies) {
      const std::string where = "reader " + std::to_string(i) + ", body " + body.substr(0, 60);
      std::optional<error> err;
      ASSERT_NO_THROW(err = readers[i](http_reply{200, {}, body})) << where;
      ASSERT_TRUE(err.has_value()) << where;
      EXPECT_EQ(err->code, bad_reply_code) << where;
      for (unsigned status : {400u, 403u, 429u, 500u, 502u}) {
        ASSERT_NO_THROW(err = readers[i](http_reply{status, {}, body})) << where;
        ASSERT_TRUE(err.has_value()) << where;
        EXPECT_EQ(err->code, "http_" + std::to_string(status)) << where;
        EXPECT_LE(err->message.size(), max_vendor_text) << where;
      }
    }
  }
}

}  // namespace
}  // namespace warroom::api::vendor_error_test
