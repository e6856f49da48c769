// Doctor lines: their format, config problems, unanswered calls and the public_url check.
#include <gtest/gtest.h>

#include <warroom/doctor/report.hpp>

namespace warroom::doctor::report_test {
namespace {

util::url public_url() {
  return *util::parse_url("https://warroom.example.com/base");
}

reply answer(unsigned status, std::string body) {
  return api::http_reply{status, {}, std::move(body)};
}

TEST(FormatLine, StartsWithOkOrFailAndKeepsOneLine) {
  EXPECT_EQ(format_line(pass("jira project", "OPS (Operations)")),
            "ok jira project: OPS (Operations)");
  EXPECT_EQ(format_line(fail("jira project", "no project\nOPS", "set jira.project_key")),
            "FAIL jira project: no project OPS; fix: set jira.project_key");
  EXPECT_EQ(format_line(not_checked("jira project", "jira credentials")),
            "FAIL jira project: not checked: the jira credentials check failed; fix: fix the jira "
            "credentials first");
}

TEST(AllOk, OneFailureIsEnough) {
  const std::vector<check_line> good = {pass("a", "x"), pass("b", "y")};
  EXPECT_TRUE(all_ok(good));
  const std::vector<check_line> bad = {pass("a", "x"), fail("b", "y", "z")};
  EXPECT_FALSE(all_ok(bad));
}

TEST(ConfigFailures, OneLinePerProblemWithItsKeyPath) {
  const auto lines = config_failures({{"jira.token", "is required"}, {"server.listen", "bad"}});
  ASSERT_EQ(lines.size(), 2U);
  EXPECT_EQ(format_line(lines[0]),
            "FAIL config: jira.token: is required; fix: correct jira.token (warroomd --check "
            "lists every problem)");
  EXPECT_FALSE(lines[1].ok);
}

TEST(NoReply, NamesTheClientReasonAndTheUrlKey) {
  const auto line =
      no_reply("jira credentials", error{"connect_failed", "connection refused"}, "jira.url");
  EXPECT_FALSE(line.ok);
  EXPECT_EQ(line.detail, "no answer (connect_failed): connection refused");
  EXPECT_NE(line.fix.find("jira.url"), std::string::npos);
}

TEST(Healthz, CallsHealthzBelowThePublicPath) {
  const auto call = healthz_call(public_url());
  EXPECT_EQ(call.method, api::http_method::get);
  EXPECT_EQ(call.origin, "https://warroom.example.com");
  EXPECT_EQ(call.target, "/base/healthz");
  EXPECT_TRUE(call.headers.empty());
}

TEST(Healthz, ReadsEachKindOfAnswer) {
  struct row {
    reply r;
    bool ok;
    std::string detail_part;
    std::string fix_part;
  };
  const std::vector<row> rows = {
      {answer(200, R"({"status":"ok"})"), true, "answered 200", ""},
      {answer(200, R"({"status":"ok","version":"1.4.0"})"), true, "(warroomd 1.4.0)", ""},
      {answer(200, "<html>welcome to nginx</html>"), false, "not as warroomd", "public_url"},
      {answer(502, "Bad Gateway"), false, "answered HTTP 502",
       "start warroomd, or check the proxy"},
      {error{"connect_failed", "refused"}, false, "did not answer (connect_failed)",
       "start warroomd, or check the proxy"},
  };
  for (const auto& [r, ok, detail_part, fix_part] : rows) {
    const auto line = read_healthz(r, public_url());
    EXPECT_EQ(line.name, "public_url");
    EXPECT_EQ(line.ok, ok) << line.detail;
    EXPECT_NE(line.detail.find(detail_part), std::string::npos) << line.detail;
    EXPECT_NE(line.fix.find(fix_part), std::string::npos) << line.fix;
  }
}

}  // namespace
}  // namespace warroom::doctor::report_test
