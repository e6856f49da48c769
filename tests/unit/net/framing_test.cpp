#include <gtest/gtest.h>

#include <warroom/net/framing.hpp>
#include <warroom/net/router.hpp>

namespace warroom::net {
namespace {

using headers = std::vector<api::header>;

TEST(Framing, AcceptsOrdinaryRequests) {
  EXPECT_FALSE(check_framing("/webhooks/pagerduty", {{"Host", "x"}, {"Content-Length", "10"}}));
  EXPECT_FALSE(check_framing("/a?b=c", {{"host", "x"}, {"Transfer-Encoding", "chunked"}}));
  EXPECT_FALSE(check_framing("/", {{"Host", "x"}}));
}

TEST(Framing, RejectsAmbiguousShapes) {
  const std::vector<std::pair<std::string, headers>> bad = {
      {"http://x/", {{"Host", "x"}}},
      {"*", {{"Host", "x"}}},
      {"//x/y", {{"Host", "x"}}},
      {"/", {}},
      {"/", {{"Host", "x"}, {"Host", "x"}}},
      {"/", {{"Host", "x"}, {"Content-Length", "1"}, {"Content-Length", "1"}}},
      {"/", {{"Host", "x"}, {"Content-Length", "1, 1"}}},
      {"/", {{"Host", "x"}, {"Content-Length", "-1"}}},
      {"/", {{"Host", "x"}, {"Transfer-Encoding", "chunked"}, {"Content-Length", "1"}}},
      {"/", {{"Host", "x"}, {"Transfer-Encoding", "identity"}}},
      {"/", {{"Host", "x"}, {"Transfer-Encoding", "chunked, chunked"}}},
      {"/", {{"Host", "x"}, {"Transfer-Encoding", "chunked"}, {"Transfer-Encoding", "chunked"}}},
  };
  for (const auto& [target, h] : bad)
    EXPECT_TRUE(check_framing(target, h)) << target;
}

TEST(Router, MatchesExactAndPrefixRoutes) {
  basic_router<int> r;
  r.add("GET", "/healthz", 1);
  r.add("POST", "/webhooks/pagerduty", 2);
  r.add("GET", "/api/v1/incidents/*", 3);
  EXPECT_EQ(*r.match("GET", "/healthz").handler, 1);
  EXPECT_EQ(*r.match("GET", "/api/v1/incidents/Q1").handler, 3);
  EXPECT_EQ(r.match("GET", "/api/v1/incidents/").status, 404u);
  EXPECT_EQ(r.match("GET", "/nope").status, 404u);
  const auto wrong = r.match("GET", "/webhooks/pagerduty");
  EXPECT_EQ(wrong.status, 405u);
  EXPECT_EQ(wrong.allow, "POST");
}

}  // namespace
}  // namespace warroom::net
