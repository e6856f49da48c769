// The fixture of the black-box war-room tests: warroom-sim (fakes of PagerDuty, Mattermost and
// Jira built from the vendor specs) and warroomd configured against it. Every request warroomd
// sent is checked against the vendors' OpenAPI schemas with tests/tools/check_requests.py.
#pragma once

#include <csignal>
#include <cstdlib>
#include <fstream>
#include <map>
#include <memory>
#include <set>

#include <gtest/gtest.h>

#include "support/daemon_harness.hpp"
#include "support/http_json.hpp"

namespace warroom::test {

using namespace std::chrono_literals;

inline const std::string command_token = "slash-command-token";
inline const std::string sim_path = WARROOM_BINARY_DIR "/tests/sim/warroom-sim";
inline const std::string check_tool = WARROOM_SOURCE_DIR "/tests/tools/check_requests.py";

inline nlohmann::json seed() {
  return {
      {"pagerduty",
       {{"users",
         {{{"id", "PALICE1"}, {"name", "Alice"}, {"email", "alice@example.com"}},
          {{"id", "PBOB001"}, {"name", "Bob"}, {"email", "bob@example.com"}},
          {{"id", "PNOMM01"}, {"name", "Nomad"}, {"email", "nomad@example.com"}},
          {{"id", "PWARROM"}, {"name", "warroom"}, {"email", "bot@example.com"}}}},
        {"escalation_policies",
         {{{"id", "PEP0001"}, {"name", "Ops"}, {"levels", {{"PALICE1", "PNOMM01"}, {"PBOB001"}}}}}},
        {"services",
         {{{"id", "PSVC001"}, {"name", "Checkout"}, {"escalation_policy_id", "PEP0001"}}}}}},
      {"mattermost",
       {{"team", {{"id", "team00000000000000000000aa"}, {"name", "ops"}}},
        {"bot_user_id", "bot0000000000000000000000a"},
        {"users",
         {{{"id", "bot0000000000000000000000a"},
           {"username", "warroom"},
           {"email", "bot@example.com"}},
          {{"id", "alice00000000000000000000a"},
           {"username", "alice"},
           {"email", "alice@example.com"}},
          {{"id", "bob0000000000000000000000b"}, {"username", "bob"}, {"email", "bob@example.com"}},
          {{"id", "carol00000000000000000000c"},
           {"username", "carol"},
           {"email", "carol@example.com"}}}}}},
      {"jira",
       {{"projects", {{{"key", "OPS"}, {"id", "10000"}, {"issue_types", {"Incident", "Task"}}}}},
        {"priorities", {"Highest", "High", "Medium", "Low", "Lowest"}}}}};
}

using nlohmann::json;

class WarRoom : public ::testing::Test {
 protected:
  void SetUp() override {
    std::ofstream(dir_.path() / "seed.json") << seed_data().dump();
    sim_ = std::make_unique<child_process>(std::vector<std::string>{
        sim_path, "--seed", (dir_.path() / "seed.json").string(), "--pagerduty-token", "pd-token",
        "--mattermost-token", "mm-token", "--jira-email", "bot@example.com", "--jira-token",
        "jira-token", "--webhook-secret", webhook_secret, "--webhook-retry-base-ms", "50"});
    for (const char* name : {"pagerduty", "mattermost", "jira", "control"}) {
      auto line = sim_->wait_for_output(std::string(name) + " listening on 127.0.0.1:", 20s);
      ASSERT_TRUE(line) << sim_->output();
      ports_[name] = static_cast<std::uint16_t>(std::stoi(line->substr(line->rfind(':') + 1)));
    }
    const std::string db = (dir_.path() / "warroom.db").string();
    const auto config = write_daemon_config(dir_.path(), db,
                                            "outbound:\n  request_timeout: \"3s\"\n  retry: { "
                                            "base: \"50ms\", cap: \"500ms\", max_attempts: 40 }\n" +
                                                extra_config(),
                                            "http://127.0.0.1:0");
    // One config, three upstream ports: patch each service's URL.
    std::ifstream in(config);
    std::string text((std::istreambuf_iterator<char>(in)), {});
    for (const char* name : {"pagerduty", "mattermost", "jira"}) {
      const std::string from = std::string(name) + ":\n  " +
                               (std::string(name) == "pagerduty" ? "api_url" : "url") +
                               ": \"http://127.0.0.1:0\"";
      const auto pos = text.find(from);
      ASSERT_NE(pos, std::string::npos) << name;
      text.replace(pos, from.size(),
                   std::string(name) + ":\n  " +
                       (std::string(name) == "pagerduty" ? "api_url" : "url") +
                       ": \"http://127.0.0.1:" + std::to_string(ports_[name]) + "\"");
    }
    std::ofstream(config) << text;
    // team id and admin token for these tests
    replace_in(config, "team_id: \"team\"", "team_id: \"team00000000000000000000aa\"");
    // Mattermost calls the buttons' integration URL, so the daemon's port must be known first.
    const auto port = std::to_string(free_port());
    replace_in(config, "listen: \"127.0.0.1:0\"", "listen: \"127.0.0.1:" + port + "\"");
    replace_in(config, "public_url: \"http://127.0.0.1:8080\"",
               "public_url: \"http://127.0.0.1:" + port + "\"");
    replace_in(config, "  public_url:", "  admin_token: \"admin\"\n  public_url:");
    replace_in(config, "level: warn", "level: info");  // job lines, shown when a test fails
    replace_in(config, "  token: \"pd-token\"",
               "  token: \"pd-token\"\n  from_email: \"bot@example.com\"\n"
               "  declare_service_id: \"PSVC001\"\n"
               "  responder_levels: [\"1\", \"2\"]");
    replace_in(config, "  action_secret:", "  responders: [\"carol\"]\n  action_secret:");
    config_path_ = config;
    replace_in(config, "  action_secret:",
               "  command_tokens: [\"" + command_token + "\"]\n  action_secret:");
    adjust_config(config);
    daemon_ = std::make_unique<running_daemon>(config);
    ASSERT_TRUE(daemon_->up()) << daemon_->process().output();
    const auto subscribed = http_json(
        ports_["control"], "POST", "/control/pagerduty/subscribe",
        {{"url", "http://127.0.0.1:" + std::to_string(daemon_->port()) + "/webhooks/pagerduty"}});
    ASSERT_EQ(subscribed.status, 200u) << subscribed.body.dump();
  }

  /// What a derived fixture adds: the simulator's seed and top-level config sections.
  virtual json seed_data() { return seed(); }
  virtual std::string extra_config() { return ""; }
  /// Last changes to the finished config file before the daemon starts (the store, say).
  virtual void adjust_config(const std::string& /*config_path*/) {}

  json admin(const std::string& path) {
    return http_json(daemon_->port(), "GET", path, nullptr, "Authorization: Bearer admin\r\n").body;
  }

  void TearDown() override {
    if (!HasFailure() || !daemon_) return;
    std::cerr << "--- warroomd output ---\n" << daemon_->process().output();
    const auto rooms = http_json(daemon_->port(), "GET", "/api/v1/incidents", nullptr,
                                 "Authorization: Bearer admin\r\n");
    std::cerr << "--- admin API ---\n"
              << rooms.body.dump().substr(0, 4000) << "\n--- simulator journal (last 30) ---\n";
    const auto journal = http_json(ports_["control"], "GET", "/journal").body;
    const auto& requests = journal["requests"];
    for (std::size_t i = requests.size() > 30 ? requests.size() - 30 : 0; i < requests.size(); ++i)
      std::cerr << requests[i]["time_ms"] << " " << requests[i]["service"] << " "
                << requests[i]["method"] << " " << requests[i]["path"] << " -> "
                << requests[i]["status"] << " " << requests[i]["fault"] << "\n";
    std::cerr << "--- simulator output ---\n" << sim_->output();
  }

  static void replace_in(const std::string& path, const std::string& from, const std::string& to) {
    std::ifstream in(path);
    std::string text((std::istreambuf_iterator<char>(in)), {});
    const auto pos = text.find(from);
    ASSERT_NE(pos, std::string::npos) << from;
    text.replace(pos, from.size(), to);
    std::ofstream(path) << text;
  }

  json state(const std::string& service) {
    return http_json(ports_["control"], "GET", "/state/" + service).body;
  }
  json control(const std::string& path, const json& body) {
    const auto r = http_json(ports_["control"], "POST", path, body);
    EXPECT_EQ(r.status, 200u) << path << " " << r.body.dump();
    return r.body;
  }

  /// Triggers `n` high-urgency incidents on the Checkout service at once; returns their ids.
  std::vector<std::string> trigger_storm(int n, const std::string& title) {
    std::vector<std::string> ids;
    for (int i = 0; i < n; ++i)
      ids.push_back(
          control("/control/pagerduty/trigger", {{"title", title + " " + std::to_string(i)},
                                                 {"urgency", "high"},
                                                 {"service_id", "PSVC001"}})["incident"]["id"]);
    return ids;
  }

  /// Whether the war room of `id` is complete, as the daemon on `port` (default: ours) says.
  bool open_complete(const std::string& id, std::uint16_t port = 0) {
    const auto admin =
        http_json(port == 0 ? daemon_->port() : port, "GET", "/api/v1/incidents/" + id, nullptr,
                  "Authorization: Bearer admin\r\n");
    if (admin.status != 200) return false;
    const auto& steps = admin.body["steps_done"];
    return std::find(steps.begin(), steps.end(), "open.complete") != steps.end();
  }

  /// Exactly one channel, card and Jira issue per incident of a storm of `n`.
  void expect_one_room_each(int n) {
    const auto mm = state("mattermost");
    EXPECT_EQ(mm["channels"].size(), static_cast<std::size_t>(n));
    EXPECT_EQ(card_posts(mm).size(), static_cast<std::size_t>(n));
    EXPECT_EQ(state("jira")["issues"].size(), static_cast<std::size_t>(n));
    std::set<std::string> carded;
    for (const auto& c : card_posts(mm))
      carded.insert(c["props"]["warroom_incident"].get<std::string>());
    EXPECT_EQ(carded.size(), static_cast<std::size_t>(n));
  }

  json card_posts(const json& mm) {
    json out = json::array();
    for (const auto& p : mm["posts"])
      if (p["props"].is_object() && p["props"].value("warroom_incident", "") != "")
        out.push_back(p);
    return out;
  }

  json incident_in_pd(const std::string& id) {
    const auto pd = state("pagerduty");
    for (const auto& i : pd["incidents"])
      if (i["id"] == id) return i;
    return nullptr;
  }

  /// Every request warroomd made, checked against the vendors' OpenAPI schemas.
  void check_requests_against_specs() {
    // python3-jsonschema is a build dependency (scripts/packages-build.txt): without it, fail.
    ASSERT_EQ(std::system("/usr/bin/python3 -c 'import jsonschema' 2>/dev/null"), 0)
        << "apt-get install python3-jsonschema: the request schema check needs it";
    json records = json::array();
    const auto journal = http_json(ports_["control"], "GET", "/journal").body;
    for (const auto& r : journal["requests"]) {
      json rec = {{"service", r["service"]}, {"method", r["method"]}, {"path", r["path"]}};
      if (r.contains("json") && !r["json"].is_null()) rec["body"] = r["json"];
      records.push_back(rec);
    }
    const auto file = dir_.path() / "requests.json";
    std::ofstream(file) << records.dump();
    const auto out = dir_.path() / "check.txt";
    const int rc = std::system(
        ("/usr/bin/python3 " + check_tool + " " + file.string() + " > " + out.string() + " 2>&1")
            .c_str());
    std::ifstream report(out);
    std::string text((std::istreambuf_iterator<char>(report)), {});
    EXPECT_EQ(rc, 0) << text;
  }

  temp_dir dir_{"warroom"};
  std::string config_path_;
  std::unique_ptr<child_process> sim_;
  std::unique_ptr<running_daemon> daemon_;
  std::map<std::string, std::uint16_t> ports_;
};

}  // namespace warroom::test
