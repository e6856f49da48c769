#include <gtest/gtest.h>

#include <warroom/util/secret.hpp>
#include <warroom/util/url.hpp>

namespace warroom::util {
namespace {

TEST(ParseUrl, SplitsOriginAndPath) {
  auto u = parse_url("https://Jira.Example.com:8443/jira/");
  ASSERT_TRUE(u.has_value());
  EXPECT_EQ(u->host, "jira.example.com");
  EXPECT_EQ(u->port, 8443);
  EXPECT_EQ(u->path, "/jira");
  EXPECT_EQ(u->origin(), "https://jira.example.com:8443");
  EXPECT_TRUE(u->tls());
}

TEST(ParseUrl, DefaultPortsAreOmittedFromOrigin) {
  EXPECT_EQ(parse_url("http://127.0.0.1")->origin(), "http://127.0.0.1");
  EXPECT_EQ(parse_url("http://127.0.0.1:80")->port, 80);
  EXPECT_EQ(parse_url("http://[::1]:8080/x")->host_header(), "[::1]:8080");
}

TEST(ParseUrl, RejectsWhatIsNotAnAbsoluteHttpUrl) {
  for (const char* bad :
       {"", "example.com", "ftp://x", "https://", "https://u:p@host", "https://host:0",
        "https://host:99999", "https://host/?q=1", "https://ho st", "https://host:12ab"}) {
    EXPECT_FALSE(parse_url(bad).has_value()) << bad;
  }
}

TEST(PercentEncode, KeepsUnreservedAndEncodesTheRest) {
  EXPECT_EQ(percent_encode("a-b_c.d~e"), "a-b_c.d~e");
  EXPECT_EQ(percent_encode("a b/é"), "a%20b%2F%C3%A9");
}

TEST(Secret, ComparesInConstantTimeAndRedacts) {
  secret s("hunter2");
  EXPECT_TRUE(s.equals("hunter2"));
  EXPECT_FALSE(s.equals("hunter3"));
  EXPECT_FALSE(s.equals("hunter"));
  EXPECT_EQ(s.redacted(), "<redacted>");
  EXPECT_EQ(secret().redacted(), "<empty>");
}

}  // namespace
}  // namespace warroom::util
