// Doctor, PagerDuty: the token and from_email lines from one GET /users?query= answer.
#include <gtest/gtest.h>

#include <warroom/doctor/pagerduty_checks.hpp>

namespace warroom::doctor::pagerduty_checks_test {
namespace {

config::pagerduty_config pd() {
  config::pagerduty_config c;
  c.api_url = *util::parse_url("https://api.pagerduty.com");
  c.token = util::secret("pd-secret-token");
  c.from_email = "warroom@example.com";
  return c;
}

reply answer(unsigned status, std::string body) {
  return api::http_reply{status, {}, std::move(body)};
}

TEST(PagerdutyChecks, LooksTheFromEmailUp) {
  const auto call = pagerduty_user_lookup(pd());
  EXPECT_EQ(call.method, api::http_method::get);
  EXPECT_EQ(call.target, "/users?query=warroom%40example.com");
}

TEST(PagerdutyChecks, ReadsEachAnswer) {
  struct row {
    reply r;
    bool token_ok;
    bool email_ok;
    std::string token_part;
    std::string email_part;
  };
  const std::vector<row> rows = {
      {answer(200, R"({"users":[{"id":"PW1","name":"warroom","email":"Warroom@example.com"}]})"),
       true, true, "accepted", "is warroom (PW1)"},
      {answer(200, R"({"users":[{"id":"PX","name":"w","email":"warroom@example.org"}]})"), true,
       false, "accepted", "no PagerDuty user has the email warroom@example.com"},
      {answer(401, R"({"error":{"message":"Authentication failed","code":2006}})"), false, false,
       "HTTP 401: Authentication failed", "not checked"},
      {answer(403, R"({"error":{"message":"Access Denied","code":2010}})"), false, false,
       "HTTP 403", "not checked"},
      {error{"timeout", "no answer within 10000 ms"}, false, false, "no answer (timeout)",
       "not checked"},
  };
  for (const auto& [r, token_ok, email_ok, token_part, email_part] : rows) {
    const auto lines = read_pagerduty(r, pd());
    ASSERT_EQ(lines.size(), 2U);
    EXPECT_EQ(lines[0].name, "pagerduty token");
    EXPECT_EQ(lines[1].name, "pagerduty from_email");
    EXPECT_EQ(lines[0].ok, token_ok) << lines[0].detail;
    EXPECT_EQ(lines[1].ok, email_ok) << lines[1].detail;
    EXPECT_NE(lines[0].detail.find(token_part), std::string::npos) << lines[0].detail;
    EXPECT_NE(lines[1].detail.find(email_part), std::string::npos) << lines[1].detail;
    for (const auto& line : lines)
      EXPECT_EQ(format_line(line).find("pd-secret-token"), std::string::npos);
  }
}

TEST(PagerdutyChecks, BadTokenFixNamesTheKey) {
  const auto lines = read_pagerduty(answer(401, R"({"error":{"code":2006}})"), pd());
  EXPECT_NE(lines[0].fix.find("pagerduty.token"), std::string::npos);
}

}  // namespace
}  // namespace warroom::doctor::pagerduty_checks_test
