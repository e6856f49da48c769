#include <fstream>

#include <gtest/gtest.h>

#include "sim_setup.hpp"

namespace warroom::sim {
namespace {

using nlohmann::json;

env_lookup env_of(std::map<std::string, std::string> vars) {
  return [vars](const std::string& name) -> std::optional<std::string> {
    const auto it = vars.find(name);
    return it == vars.end() ? std::nullopt : std::optional<std::string>(it->second);
  };
}

std::string write_temp(const std::string& name, const std::string& text) {
  const auto path = ::testing::TempDir() + "/" + name;
  std::ofstream(path) << text;
  return path;
}

TEST(SimConfig, FlagsWinOverTheEnvironment) {
  const auto c =
      load_sim_config({"--pagerduty-port", "1234", "--control-port=4321", "--webhook-url",
                       "http://127.0.0.1:1/a", "--webhook-url", "http://127.0.0.1:2/b",
                       "--pagerduty-token", "flag-token", "--webhook-max-attempts", "3"},
                      env_of({{"PAGERDUTY_TOKEN", "env-token"},
                              {"PAGERDUTY_WEBHOOK_SECRET", "env-secret"},
                              {"JIRA_TOKEN", "jira"}}));
  ASSERT_TRUE(c) << c.error().message;
  EXPECT_EQ(c->ports.at("pagerduty"), 1234);
  EXPECT_EQ(c->ports.at("control"), 4321);
  EXPECT_FALSE(c->ports.contains("jira"));
  EXPECT_EQ(c->webhook_urls.size(), 2u);
  EXPECT_EQ(c->pagerduty_token, "flag-token");
  EXPECT_EQ(c->webhook_secret, "env-secret");
  EXPECT_EQ(c->jira_token, "jira");
  EXPECT_EQ(c->sender.max_attempts, 3);
  EXPECT_FALSE(c->demo);
}

TEST(SimConfig, ErrorsNameTheFlag) {
  const auto env = env_of({});
  for (const std::vector<std::string>& args :
       {std::vector<std::string>{"--pagerduty-port", "99999"},
        {"--bogus", "1"},
        {"--webhook-max-attempts", "0"},
        {"--jira-port"},
        {"stray"}}) {
    const auto c = load_sim_config(args, env);
    ASSERT_FALSE(c) << args[0];
    EXPECT_NE(c.error().message.find(args[0]), std::string::npos) << c.error().message;
  }
}

TEST(SimConfig, ReadsAYamlFileAndASeedFile) {
  const auto seed = write_temp("seed.json", R"({"pagerduty": {"users": [{"email": "z@x.io"}]}})");
  const auto yaml = write_temp("sim.yaml", R"(
ports: {pagerduty: 18181, control: 18184}
pagerduty:
  token: "yaml-token"
  webhook_urls: ["http://127.0.0.1:8080/webhooks/pagerduty"]
  webhook_secret: s3
jira: {email: bot@example.com, token: t}
webhooks: {retry_base_ms: 5, max_attempts: 2}
seed_file: )" + seed + R"(
faults:
  jira: [{route_prefix: /rest/api/3/search, latency_ms: 10}]
)");
  const auto c = load_sim_config({"--config", yaml, "--control-port", "0"}, env_of({}));
  ASSERT_TRUE(c) << c.error().message;
  EXPECT_EQ(c->ports.at("pagerduty"), 18181);
  EXPECT_EQ(c->ports.at("control"), 0) << "flags override the file";
  EXPECT_EQ(c->pagerduty_token, "yaml-token");
  EXPECT_EQ(c->webhook_secret, "s3");
  EXPECT_EQ(c->jira_email, "bot@example.com");
  EXPECT_EQ(c->sender.retry_base, std::chrono::milliseconds(5));
  ASSERT_EQ(c->seeds.size(), 1u);
  EXPECT_EQ(c->seeds[0]["pagerduty"]["users"][0]["email"], "z@x.io");
  EXPECT_EQ(c->faults["jira"][0]["latency_ms"], 10);
  const auto bad = write_temp("bad.yaml", "colour: blue\n");
  EXPECT_FALSE(load_sim_config({"--config", bad}, env_of({})));
}

TEST(SimConfig, DemoUsesTheDemoPortsAndSeedsEveryFake) {
  const auto c = load_sim_config({"--demo", "--jira-port", "0"}, env_of({}));
  ASSERT_TRUE(c) << c.error().message;
  EXPECT_EQ(c->ports.at("pagerduty"), 18081);
  EXPECT_EQ(c->ports.at("mattermost"), 18082);
  EXPECT_EQ(c->ports.at("jira"), 0);
  EXPECT_EQ(c->ports.at("control"), 18084);
  EXPECT_EQ(c->webhook_urls, std::vector<std::string>{"http://127.0.0.1:8080/webhooks/pagerduty"});
  EXPECT_EQ(c->pagerduty_token, "demo-pagerduty-token");
  auto services = make_services(*c);
  ASSERT_TRUE(services) << services.error().message;
  for (const auto& s : *services) {
    if (s->name() != "pagerduty") continue;
    const auto state = s->state();
    bool from_user = false;
    for (const auto& u : state["users"])
      from_user |= u["email"] == "warroom@example.com";
    EXPECT_TRUE(from_user) << "config/demo.yaml's from_email must be a PagerDuty user";
    EXPECT_EQ(state["services"][0]["escalation_policy_id"], "PDEMOEP");
  }
}

TEST(SimConfig, SeedsForUnknownServicesAreRefused) {
  sim_config c;
  c.seeds.push_back({{"opsgenie", json::object()}});
  EXPECT_FALSE(make_services(c));
  c.seeds = {{{"pagerduty", {{"users", {{{"id", "PNOMAIL"}}}}}}}};
  EXPECT_FALSE(make_services(c));
}

}  // namespace
}  // namespace warroom::sim
