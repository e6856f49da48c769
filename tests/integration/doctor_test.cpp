// `warroomd doctor`, black-box: the real binary against warroom-sim and a running warroomd. A
// good config passes every check; each kind of mistake fails its own line; nothing is written.
#include <fstream>
#include <map>

#include <gtest/gtest.h>

#include "support/daemon_harness.hpp"
#include "support/http_json.hpp"

namespace warroom::test {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;

const std::string sim_path = WARROOM_BINARY_DIR "/tests/sim/warroom-sim";
const std::string team_id = "team00000000000000000000aa";
const std::string bot_id = "bot0000000000000000000000a";

json seed() {
  return {
      {"pagerduty",
       {{"users",
         {{{"id", "PALICE1"}, {"name", "Alice"}, {"email", "alice@example.com"}},
          {{"id", "PWARROM"}, {"name", "warroom"}, {"email", "bot@example.com"}}}}}},
      {"mattermost",
       {{"team", {{"id", team_id}, {"name", "ops"}}},
        {"bot_user_id", bot_id},
        {"users",
         {{{"id", bot_id}, {"username", "warroom"}, {"email", "bot@example.com"}},
          {{"id", "alice00000000000000000000a"},
           {"username", "alice"},
           {"email", "alice@example.com"}}}}}},
      {"jira",
       {{"projects", {{{"key", "OPS"}, {"id", "10000"}, {"issue_types", {"Incident", "Task"}}}}},
        {"priorities", {"Highest", "High", "Medium", "Low", "Lowest"}}}}};
}

struct doctor_run {
  int exit_code = -1;
  std::string output;
  /// The line of the check `name` ("ok <name>: ..." or "FAIL <name>: ..."), or "".
  std::string line(const std::string& name) const {
    for (std::size_t at = 0; at < output.size();) {
      const auto end = std::min(output.find('\n', at), output.size());
      const std::string l = output.substr(at, end - at);
      if (l.starts_with("ok " + name + ":") || l.starts_with("FAIL " + name + ":")) return l;
      at = end + 1;
    }
    return "";
  }
};

class Doctor : public ::testing::Test {
 protected:
  // One simulator and one warroomd for the whole suite: each test only changes the config doctor
  // reads (and, for the team membership, one simulator seed it restores).
  static void SetUpTestSuite() {
    dir_ =
        std::filesystem::temp_directory_path() / ("warroom-doctor-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir_);
    std::ofstream(dir_ / "seed.json") << seed().dump();
    sim_ = new child_process({sim_path, "--seed", (dir_ / "seed.json").string(),
                              "--pagerduty-token", "pd-token", "--mattermost-token", "mm-token",
                              "--jira-email", "bot@example.com", "--jira-token", "jira-token"});
    for (const char* name : {"pagerduty", "mattermost", "jira", "control"}) {
      auto line = sim_->wait_for_output(std::string(name) + " listening on 127.0.0.1:", 20s);
      if (!line) return;
      ports_[name] = static_cast<std::uint16_t>(std::stoi(line->substr(line->rfind(':') + 1)));
    }
    daemon_port_ = free_port();
    std::ofstream(dir_ / "good.yaml") << config_text({});
    daemon_ = new running_daemon((dir_ / "good.yaml").string());
  }

  static void TearDownTestSuite() {
    delete daemon_;
    delete sim_;
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }

  void SetUp() override {
    ASSERT_EQ(ports_.size(), 4U) << sim_->output();
    ASSERT_TRUE(daemon_->up()) << daemon_->process().output();
  }

  /// The good config with some values replaced (key: the text between the quotes to change).
  static std::string config_text(const std::map<std::string, std::string>& changes) {
    auto port = [](const char* name) { return std::to_string(ports_[name]); };
    std::map<std::string, std::string> v = {
        {"public_url", "http://127.0.0.1:" + std::to_string(daemon_port_)},
        {"pd_url", "http://127.0.0.1:" + port("pagerduty")},
        {"pd_token", "pd-token"},
        {"from_email", "bot@example.com"},
        {"mm_url", "http://127.0.0.1:" + port("mattermost")},
        {"mm_token", "mm-token"},
        {"team_id", team_id},
        {"jira_url", "http://127.0.0.1:" + port("jira")},
        {"jira_token", "jira-token"},
        {"project", "OPS"},
        {"issue_type", "Incident"},
        {"p1", "Highest"}};
    for (const auto& [key, value] : changes)
      v.at(key) = value;
    return "server:\n  listen: \"127.0.0.1:" + std::to_string(daemon_port_) +
           "\"\n  public_url: \"" + v["public_url"] + "\"\n" + "store:\n  path: \"" +
           (dir_ / "warroom.db").string() + "\"\n" + "log:\n  level: warn\n" +
           "outbound:\n  request_timeout: \"3s\"\n" + "pagerduty:\n  api_url: \"" + v["pd_url"] +
           "\"\n  token: \"" + v["pd_token"] + "\"\n  from_email: \"" + v["from_email"] +
           "\"\n  webhook_secrets: [\"whsec\"]\n" + "mattermost:\n  url: \"" + v["mm_url"] +
           "\"\n  token: \"" + v["mm_token"] + "\"\n  team_id: \"" + v["team_id"] +
           "\"\n  action_secret: \"action-secret\"\n" +
           "  private: true\n  responders: [\"alice\"]\n" + "jira:\n  url: \"" + v["jira_url"] +
           "\"\n  email: \"bot@example.com\"\n  token: \"" + v["jira_token"] +
           "\"\n  project_key: \"" + v["project"] + "\"\n  issue_type: \"" + v["issue_type"] +
           "\"\n  priority_map: { P1: \"" + v["p1"] + "\", P2: High, high: High, low: Low }\n";
  }

  static doctor_run run_doctor(const std::map<std::string, std::string>& changes = {}) {
    static int n = 0;
    const auto path = dir_ / ("doctor-" + std::to_string(++n) + ".yaml");
    std::ofstream(path) << config_text(changes);
    child_process doctor({daemon_path, "doctor", "--config", path.string()});
    doctor_run out;
    out.exit_code = doctor.wait_exit(30s).value_or(-1);
    out.output = doctor.output();
    return out;
  }

  static json journal() { return http_json(ports_["control"], "GET", "/journal").body; }

  static inline std::filesystem::path dir_;
  static inline child_process* sim_ = nullptr;
  static inline running_daemon* daemon_ = nullptr;
  static inline std::map<std::string, std::uint16_t> ports_;
  static inline std::uint16_t daemon_port_ = 0;
};

TEST_F(Doctor, AGoodConfigPassesEveryCheckWithoutWritingAnything) {
  ASSERT_EQ(http_json(ports_["control"], "DELETE", "/journal").status, 200U);
  const auto run = run_doctor();
  EXPECT_EQ(run.exit_code, 0) << run.output;
  const std::vector<std::string> checks = {"config",
                                           "pagerduty token",
                                           "pagerduty from_email",
                                           "mattermost token",
                                           "mattermost team",
                                           "mattermost create channels",
                                           "mattermost responder alice",
                                           "jira credentials",
                                           "jira project",
                                           "jira issue_type",
                                           "jira priority_map",
                                           "jira done status",
                                           "public_url"};
  for (const auto& name : checks)
    EXPECT_TRUE(run.line(name).starts_with("ok " + name + ":")) << name << "\n" << run.output;
  // Exactly these lines, in this order.
  std::size_t lines = 0;
  for (char c : run.output)
    lines += c == '\n' ? 1 : 0;
  EXPECT_EQ(lines, checks.size()) << run.output;
  for (std::size_t i = 1; i < checks.size(); ++i)
    EXPECT_LT(run.output.find(" " + checks[i - 1] + ":"), run.output.find(" " + checks[i] + ":"));
  EXPECT_NE(run.line("mattermost create channels").find("create_private_channel"),
            std::string::npos);
  // /healthz says which build answers.
  EXPECT_NE(run.line("public_url").find("(warroomd "), std::string::npos) << run.output;

  const auto requests = journal()["requests"];
  EXPECT_GE(requests.size(), 10U);
  for (const auto& r : requests)
    EXPECT_EQ(r["method"], "GET") << r["service"] << " " << r["path"];
  for (const char* secret : {"pd-token", "mm-token", "jira-token"})
    EXPECT_EQ(run.output.find(secret), std::string::npos);
}

TEST_F(Doctor, EachMistakeFailsItsOwnLine) {
  struct mistake {
    std::map<std::string, std::string> change;
    std::string check;
    std::string reason;
  };
  const std::vector<mistake> mistakes = {
      {{{"pd_token", "wrong-pd"}}, "pagerduty token", "HTTP 401"},
      {{{"from_email", "nobody@example.com"}},
       "pagerduty from_email",
       "no PagerDuty user has the email nobody@example.com"},
      {{{"mm_token", "wrong-mm"}}, "mattermost token", "HTTP 401"},
      {{{"team_id", "nosuchteam0000000000000000"}}, "mattermost team", "no team has the id"},
      {{{"jira_token", "wrong-jira"}}, "jira credentials", "HTTP 401"},
      {{{"project", "NOPE"}}, "jira project", "no project NOPE"},
      {{{"issue_type", "Outage"}}, "jira issue_type", "no issue type Outage in OPS"},
      {{{"p1", "Urgent"}}, "jira priority_map", "P1: Urgent"},
      {{{"public_url", "http://127.0.0.1:9"}}, "public_url", "did not answer"},
  };
  for (const auto& m : mistakes) {
    const auto run = run_doctor(m.change);
    EXPECT_EQ(run.exit_code, 1) << m.check << "\n" << run.output;
    const auto line = run.line(m.check);
    EXPECT_TRUE(line.starts_with("FAIL " + m.check + ": ")) << m.check << "\n" << run.output;
    EXPECT_NE(line.find(m.reason), std::string::npos) << line;
    EXPECT_NE(line.find("; fix: "), std::string::npos) << line;
    for (const auto& [key, value] : m.change) {
      if (key.ends_with("token")) {
        EXPECT_EQ(run.output.find(value), std::string::npos) << value;
      }
    }
  }
}

TEST_F(Doctor, ABotOffTheTeamFailsTheTeamCheck) {
  auto set_on_team = [](bool on) {
    json bot = {{"id", bot_id}, {"username", "warroom"}, {"email", "bot@example.com"}};
    bot["on_team"] = on;
    json body;
    body["users"] = json::array({bot});
    return http_json(ports_["control"], "POST", "/seed/mattermost", body).status;
  };
  ASSERT_EQ(set_on_team(false), 200U);
  const auto run = run_doctor();
  ASSERT_EQ(set_on_team(true), 200U);
  EXPECT_EQ(run.exit_code, 1) << run.output;
  EXPECT_TRUE(
      run.line("mattermost team")
          .starts_with(
              "FAIL mattermost team: @warroom is not a member of team ops; fix: add the bot"))
      << run.output;
  EXPECT_TRUE(run.line("mattermost create channels").starts_with("FAIL")) << run.output;
}

TEST_F(Doctor, AConfigThatDoesNotLoadIsOneFailLinePerProblem) {
  const auto path = dir_ / "broken.yaml";
  std::ofstream(path) << "server:\n  listen: \"nowhere\"\n";
  child_process doctor({daemon_path, "doctor", "--config", path.string()});
  EXPECT_EQ(doctor.wait_exit(10s), 1);
  const auto& out = doctor.output();
  EXPECT_TRUE(out.starts_with("FAIL config: ")) << out;
  EXPECT_NE(out.find("FAIL config: server.listen"), std::string::npos) << out;
}

TEST(DoctorCli, HelpNamesDoctorAndDoctorNeedsAConfig) {
  child_process help({daemon_path, "--help"});
  EXPECT_EQ(help.wait_exit(10s), 0);
  EXPECT_NE(help.output().find("warroomd doctor --config FILE"), std::string::npos);
  child_process bare({daemon_path, "doctor"});
  EXPECT_EQ(bare.wait_exit(10s), 2);
  EXPECT_NE(bare.output().find("--config FILE is required"), std::string::npos);
}

}  // namespace
}  // namespace warroom::test
