#include <map>
#include <string>

#include <gtest/gtest.h>

#include <warroom/config/duration.hpp>
#include <warroom/config/load.hpp>

namespace warroom::config {
namespace {

constexpr const char* kSecretValue = "s3cr3t-VALUE-never-print";

const char* kValid = R"(
server:
  listen: "127.0.0.1:0"
  public_url: "https://warroom.example.com"
  admin_token: "${ADMIN}"
store:
  path: "/tmp/warroom-test.db"
pagerduty:
  api_url: "https://api.pagerduty.com"
  token: "${PD_TOKEN}"
  webhook_secrets: ["${PD_SECRET}", "second-secret"]
mattermost:
  url: "https://chat.example.com"
  token_file: "/run/creds/mm"
  team_id: "team1"
  action_secret: "${ACTION}"
jira:
  url: "https://acme.atlassian.net"
  email: "bot@example.com"
  token: "${JIRA}"
  project_key: "OPS"
  issue_type: "Incident"
)";

struct fake_env {
  std::map<std::string, std::string> vars{{"ADMIN", kSecretValue},
                                          {"PD_TOKEN", kSecretValue},
                                          {"PD_SECRET", kSecretValue},
                                          {"ACTION", kSecretValue},
                                          {"JIRA", kSecretValue}};
  std::map<std::string, std::string> files{{"/run/creds/mm", std::string(kSecretValue) + "\n"}};

  environment get() const {
    environment env;
    env.variable = [this](const std::string& name) -> std::optional<std::string> {
      auto it = vars.find(name);
      return it == vars.end() ? std::nullopt : std::optional(it->second);
    };
    env.read_file = [this](const std::string& path) -> std::optional<std::string> {
      auto it = files.find(path);
      return it == files.end() ? std::nullopt : std::optional(it->second);
    };
    return env;
  }
};

std::string replace(std::string text, const std::string& from, const std::string& to) {
  const auto pos = text.find(from);
  EXPECT_NE(pos, std::string::npos) << from;
  if (pos != std::string::npos) text.replace(pos, from.size(), to);
  return text;
}

TEST(LoadConfig, ValidConfigHasValuesAndDefaults) {
  fake_env env;
  auto loaded = parse_config(kValid, env.get());
  ASSERT_TRUE(loaded.has_value()) << describe(loaded.error());
  const config& c = *loaded;
  EXPECT_EQ(c.server.listen.host, "127.0.0.1");
  EXPECT_EQ(c.server.listen.port, 0);
  EXPECT_EQ(c.server.public_url.host, "warroom.example.com");
  EXPECT_EQ(c.server.max_body_bytes, 262144u);
  EXPECT_EQ(c.server.shutdown_grace, std::chrono::seconds(10));
  EXPECT_EQ(c.server.threads, 0);  // one per CPU
  ASSERT_TRUE(c.server.admin_token.has_value());
  EXPECT_EQ(c.server.admin_token->reveal(), kSecretValue);
  EXPECT_EQ(c.pagerduty.webhook_secrets.size(), 2u);
  EXPECT_EQ(c.pagerduty.responder_levels, std::vector<int>{1});
  EXPECT_EQ(c.mattermost.token.reveal(), kSecretValue);  // from the file, newline trimmed
  EXPECT_EQ(c.mattermost.action_token_ttl, std::chrono::hours(720));
  EXPECT_EQ(c.mattermost.user_cache_ttl, std::chrono::minutes(10));
  EXPECT_EQ(c.mattermost.channel_name, "inc-{number}-{title}");
  EXPECT_EQ(c.jira.api_version, 3);
  EXPECT_EQ(c.jira.priority_map.at("P1"), "Highest");
  EXPECT_EQ(c.outbound.retry.max_attempts, 8);
  EXPECT_EQ(c.log.format, "text");
}

struct bad_case {
  const char* name;
  std::string yaml;
  std::string path;      // expected problem path
  std::string fragment;  // expected in its message
};

std::vector<bad_case> bad_cases() {
  const std::string v = kValid;
  return {
      {"MissingListen", replace(v, "  listen: \"127.0.0.1:0\"\n", ""), "server.listen", "required"},
      {"MissingPublicUrl", replace(v, "  public_url: \"https://warroom.example.com\"\n", ""),
       "server.public_url", "required"},
      {"MissingStorePath",
       replace(v, "  path: \"/tmp/warroom-test.db\"\n", "  delivery_retention: 7d\n"), "store.path",
       "required"},
      {"StorePathAndPostgresUrl",
       replace(v, "  path: \"/tmp/warroom-test.db\"\n",
               "  path: \"/tmp/warroom-test.db\"\n  postgres_url: \"${PD_TOKEN}\"\n"),
       "store.postgres_url", "cannot be used together with store.path"},
      {"MissingPagerDutyToken", replace(v, "  token: \"${PD_TOKEN}\"\n", ""), "pagerduty.token",
       "required"},
      {"MissingWebhookSecrets",
       replace(v, "  webhook_secrets: [\"${PD_SECRET}\", \"second-secret\"]\n", ""),
       "pagerduty.webhook_secrets", "at least one"},
      {"MissingTeamId", replace(v, "  team_id: \"team1\"\n", ""), "mattermost.team_id", "required"},
      {"MissingActionSecret", replace(v, "  action_secret: \"${ACTION}\"\n", ""),
       "mattermost.action_secret", "required"},
      {"MissingJiraProject", replace(v, "  project_key: \"OPS\"\n", ""), "jira.project_key",
       "required"},
      {"MissingIssueType", replace(v, "  issue_type: \"Incident\"\n", ""), "jira.issue_type",
       "required"},
      {"MissingJiraSection", v.substr(0, v.find("jira:")), "jira", "required"},
      {"BadListen", replace(v, "127.0.0.1:0", "nonsense"), "server.listen", "HOST:PORT"},
      {"BadListenPort", replace(v, "127.0.0.1:0", "127.0.0.1:70000"), "server.listen", "HOST:PORT"},
      {"BadListenHost", replace(v, "127.0.0.1:0", "example.com:80"), "server.listen", "IP address"},
      {"BadUrlScheme", replace(v, "https://api.pagerduty.com", "ftp://api.pagerduty.com"),
       "pagerduty.api_url", "not a valid URL"},
      {"BadUrlNoHost", replace(v, "https://chat.example.com", "https://"), "mattermost.url",
       "not a valid URL"},
      {"BadBodyLimitType", replace(v, "  admin_token:", "  max_body_bytes: lots\n  admin_token:"),
       "server.max_body_bytes", "integer"},
      {"TooManyThreads", replace(v, "  admin_token:", "  threads: 65\n  admin_token:"),
       "server.threads", "integer from 0 to 64"},
      {"BadDuration", replace(v, "  admin_token:", "  shutdown_grace: soon\n  admin_token:"),
       "server.shutdown_grace", "duration"},
      {"BadUserCacheTtl",
       replace(v, "  team_id: \"team1\"\n", "  team_id: \"team1\"\n  user_cache_ttl: later\n"),
       "mattermost.user_cache_ttl", "duration"},
      {"ListWhereScalar", replace(v, "team_id: \"team1\"", "team_id: [a, b]"), "mattermost.team_id",
       "single value"},
      {"MappingWhereList",
       replace(v, "webhook_secrets: [\"${PD_SECRET}\", \"second-secret\"]",
               "webhook_secrets: {a: b}"),
       "pagerduty.webhook_secrets", "list"},
      {"BadApiVersion", replace(v, "  project_key:", "  api_version: 4\n  project_key:"),
       "jira.api_version", "integer from 2 to 3"},
      {"BadAuth", replace(v, "  project_key:", "  auth: digest\n  project_key:"), "jira.auth",
       "basic"},
      {"BadLogFormat", v + "log: {format: xml}\n", "log.format", "text or json"},
      {"BadPlaceholder", replace(v, "  team_id:", "  channel_name: \"inc-{nope}\"\n  team_id:"),
       "mattermost.channel_name", "placeholders"},
      {"UnknownTopKey", v + "extra: 1\n", "extra", "unknown key"},
      {"UnknownNestedKey", replace(v, "  team_id:", "  teamid: x\n  team_id:"), "mattermost.teamid",
       "unknown key"},
      {"MissingEnvVar", replace(v, "${JIRA}", "${NOT_SET_ANYWHERE}"), "jira.token",
       "NOT_SET_ANYWHERE is not set"},
      {"UnreadableSecretFile", replace(v, "/run/creds/mm", "/run/creds/absent"),
       "mattermost.token_file", "cannot read"},
      {"SecretAndFileBoth",
       replace(v, "  token_file: \"/run/creds/mm\"", "  token_file: \"/run/creds/mm\"\n  token: x"),
       "mattermost.token", "not both"},
      {"SyntaxError", "server: [unclosed\n", "", "YAML syntax error"},
  };
}

class BadConfig : public ::testing::TestWithParam<bad_case> {};

TEST_P(BadConfig, IsRejectedWithKeyPathAndNoSecret) {
  fake_env env;
  const auto& c = GetParam();
  auto loaded = parse_config(c.yaml, env.get());
  ASSERT_FALSE(loaded.has_value());
  const std::string text = describe(loaded.error());
  bool found = false;
  for (const auto& p : loaded.error())
    found = found || (p.path == c.path && p.message.find(c.fragment) != std::string::npos);
  EXPECT_TRUE(found) << "expected " << c.path << ": ..." << c.fragment << "\ngot:\n" << text;
  EXPECT_EQ(text.find(kSecretValue), std::string::npos) << text;
}

INSTANTIATE_TEST_SUITE_P(Table, BadConfig, ::testing::ValuesIn(bad_cases()),
                         [](const auto& param_info) { return std::string(param_info.param.name); });

TEST(LoadConfig, ReportsEveryProblemAtOnce) {
  fake_env env;
  env.vars.clear();
  auto loaded = parse_config(kValid, env.get());
  ASSERT_FALSE(loaded.has_value());
  // ADMIN, PD_TOKEN, PD_SECRET, ACTION and JIRA are all missing: five problems, all named.
  EXPECT_GE(loaded.error().size(), 5u) << describe(loaded.error());
}

TEST(LoadConfig, SecretFileListHoldsOneSecretPerLine) {
  fake_env env;
  env.files["/run/creds/pd"] = "one\ntwo\n\n";
  auto yaml = replace(kValid, "webhook_secrets: [\"${PD_SECRET}\", \"second-secret\"]",
                      "webhook_secrets_file: /run/creds/pd");
  auto loaded = parse_config(yaml, env.get());
  ASSERT_TRUE(loaded.has_value()) << describe(loaded.error());
  ASSERT_EQ(loaded->pagerduty.webhook_secrets.size(), 2u);
  EXPECT_EQ(loaded->pagerduty.webhook_secrets[1].reveal(), "two");
}

TEST(LoadConfig, CommandTokensAndDeclareServiceAreOptional) {
  fake_env env;
  auto loaded = parse_config(kValid, env.get());
  ASSERT_TRUE(loaded.has_value()) << describe(loaded.error());
  EXPECT_TRUE(loaded->mattermost.command_tokens.empty());
  EXPECT_TRUE(loaded->pagerduty.declare_service_id.empty());

  env.files["/run/creds/cmd"] = "new-token\nold-token\n";
  auto yaml = replace(kValid, "  action_secret: \"${ACTION}\"\n",
                      "  action_secret: \"${ACTION}\"\n  command_tokens_file: /run/creds/cmd\n");
  yaml = replace(yaml, "  webhook_secrets:", "  declare_service_id: PSVC1\n  webhook_secrets:");
  loaded = parse_config(yaml, env.get());
  ASSERT_TRUE(loaded.has_value()) << describe(loaded.error());
  ASSERT_EQ(loaded->mattermost.command_tokens.size(), 2u);
  EXPECT_EQ(loaded->mattermost.command_tokens[1].reveal(), "old-token");
  EXPECT_EQ(loaded->pagerduty.declare_service_id, "PSVC1");

  auto both = replace(yaml, "  command_tokens_file: /run/creds/cmd\n",
                      "  command_tokens_file: /run/creds/cmd\n  command_tokens: [\"x\"]\n");
  auto refused = parse_config(both, env.get());
  ASSERT_FALSE(refused.has_value());
  EXPECT_NE(describe(refused.error()).find("mattermost.command_tokens"), std::string::npos);
}

TEST(LoadConfig, PostgresUrlReplacesTheStorePathAndIsASecret) {
  fake_env env;
  env.files["/run/creds/pg"] = "postgresql://warroom:pw@db:5432/warroom\n";
  auto yaml =
      replace(kValid, "  path: \"/tmp/warroom-test.db\"\n", "  postgres_url_file: /run/creds/pg\n");
  auto loaded = parse_config(yaml, env.get());
  ASSERT_TRUE(loaded.has_value()) << describe(loaded.error());
  EXPECT_TRUE(loaded->store.path.empty());
  ASSERT_TRUE(loaded->store.postgres_url.has_value());
  EXPECT_EQ(loaded->store.postgres_url->reveal(), "postgresql://warroom:pw@db:5432/warroom");
}

TEST(LoadConfig, DollarDollarIsALiteralDollar) {
  fake_env env;
  std::vector<std::string> missing;
  EXPECT_EQ(substitute_env("a$$b${PD_TOKEN}", env.get(), missing),
            std::string("a$b") + kSecretValue);
  EXPECT_TRUE(missing.empty());
}

TEST(ListenAddress, ParsesIpv4Ipv6AndLocalhost) {
  EXPECT_EQ(parse_listen_address("0.0.0.0:8080")->port, 8080);
  EXPECT_EQ(parse_listen_address("[::1]:9")->host, "::1");
  EXPECT_EQ(parse_listen_address("localhost:0")->host, "localhost");
  EXPECT_FALSE(parse_listen_address("256.1.1.1:80"));
  EXPECT_FALSE(parse_listen_address("::1:80"));
  EXPECT_FALSE(parse_listen_address("1.2.3.4:"));
  EXPECT_FALSE(parse_listen_address("1.2.3.4:-1"));
}

TEST(Duration, ParsesUnitsAndCompounds) {
  EXPECT_EQ(parse_duration("500ms"), std::chrono::milliseconds(500));
  EXPECT_EQ(parse_duration("10s"), std::chrono::seconds(10));
  EXPECT_EQ(parse_duration("1h30m"), std::chrono::minutes(90));
  EXPECT_EQ(parse_duration("720h"), std::chrono::hours(720));
  EXPECT_FALSE(parse_duration(""));
  EXPECT_FALSE(parse_duration("10"));
  EXPECT_FALSE(parse_duration("-1s"));
  EXPECT_FALSE(parse_duration("1y"));
  EXPECT_FALSE(parse_duration("99999999999999999999h"));
  EXPECT_EQ(format_duration(std::chrono::milliseconds(1500)), "1500ms");
  EXPECT_EQ(format_duration(std::chrono::hours(720)), "30d");
}

}  // namespace
}  // namespace warroom::config
