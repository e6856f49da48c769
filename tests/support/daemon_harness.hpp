// Starts the real warroomd binary on 127.0.0.1:0 with a config written to a temp dir, for
// black-box tests; sends signed PagerDuty webhooks; reads the database afterwards.
#pragma once

#include <filesystem>
#include <fstream>
#include <memory>
#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <warroom/webhook/pagerduty_signature.hpp>

#include "support/child_process.hpp"
#include "support/raw_client.hpp"

namespace warroom::test {

inline const std::string daemon_path = WARROOM_BINARY_DIR "/src/warroomd";
inline const std::string webhook_secret = "test-webhook-secret";

/// A port that was free a moment ago (bound to 127.0.0.1:0, then released), for configs that must
/// name the daemon's own address before it starts (public_url for button callbacks).
inline std::uint16_t free_port() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
  socklen_t len = sizeof addr;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  ::close(fd);
  return ntohs(addr.sin_port);
}

/// A temp directory removed at the end of the test.
class temp_dir {
 public:
  explicit temp_dir(const std::string& tag) {
    path_ = std::filesystem::temp_directory_path() /
            ("warroom-" + tag + "-" + std::to_string(::getpid()) + "-" +
             ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(path_);
    std::filesystem::create_directories(path_);
  }
  ~temp_dir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

/// A config pointing every upstream at a closed port (the tests here exercise intake only) unless
/// the caller passes real URLs.
inline std::string write_daemon_config(const std::filesystem::path& dir, const std::string& db_path,
                                       const std::string& extra = "",
                                       const std::string& upstream = "http://127.0.0.1:9") {
  const auto path = dir / "warroom.yaml";
  std::ofstream(path)
      << "server:\n  listen: \"127.0.0.1:0\"\n  public_url: \"http://127.0.0.1:8080\"\n"
      << "store:\n  path: \"" << db_path << "\"\n"
      << "log:\n  level: warn\n"
      << "pagerduty:\n  api_url: \"" << upstream << "\"\n  token: \"pd-token\"\n"
      << "  webhook_secrets: [\"" << webhook_secret << "\"]\n"
      << "mattermost:\n  url: \"" << upstream << "\"\n  token: \"mm-token\"\n"
      << "  team_id: \"team\"\n  action_secret: \"action-secret\"\n"
      << "jira:\n  url: \"" << upstream << "\"\n  email: \"bot@example.com\"\n"
      << "  token: \"jira-token\"\n  project_key: \"OPS\"\n  issue_type: \"Incident\"\n"
      << extra;
  return path.string();
}

/// A running warroomd; killed (SIGKILL) when destroyed unless it already exited.
class running_daemon {
 public:
  explicit running_daemon(const std::string& config_path, std::vector<std::string> env = {})
      : process_({daemon_path, "--config", config_path}, std::move(env)) {
    const auto line = process_.wait_for_output("listening on 127.0.0.1:", std::chrono::seconds(20));
    if (line) port_ = static_cast<std::uint16_t>(std::stoi(line->substr(line->rfind(':') + 1)));
  }
  bool up() const { return port_ != 0; }
  std::uint16_t port() const { return port_; }
  child_process& process() { return process_; }

 private:
  child_process process_;
  std::uint16_t port_ = 0;
};

/// A PagerDuty V3 incident event body.
inline std::string pagerduty_event_body(const std::string& event_id, const std::string& type,
                                        const std::string& incident_id, int number = 1,
                                        const std::string& title = "database down") {
  return nlohmann::json{
      {"event",
       {{"id", event_id},
        {"event_type", type},
        {"resource_type", "incident"},
        {"occurred_at", "2026-11-27T03:47:13.414Z"},
        {"agent", nullptr},
        {"client", nullptr},
        {"data",
         {{"id", incident_id},
          {"type", "incident"},
          {"self", "https://api.pagerduty.com/incidents/" + incident_id},
          {"html_url", "https://acme.pagerduty.com/incidents/" + incident_id},
          {"number", number},
          {"status", "triggered"},
          {"title", title},
          {"urgency", "high"},
          {"service", {{"id", "PSVC1"}, {"type", "service_reference"}, {"summary", "API"}}},
          {"escalation_policy",
           {{"id", "PEP1"}, {"type", "escalation_policy_reference"}, {"summary", "Ops"}}},
          {"assignees", nlohmann::json::array()},
          {"priority", nullptr},
          {"conference_bridge", nullptr}}}}}}
      .dump();
}

/// The raw bytes of a signed webhook POST.
inline std::string signed_webhook_request(const std::string& body, const std::string& webhook_id,
                                          const std::string& secret = webhook_secret) {
  const auto sig = webhook::sign_pagerduty_body(body, util::secret(secret));
  return "POST /webhooks/pagerduty HTTP/1.1\r\nHost: warroom\r\nContent-Type: application/json\r\n"
         "User-Agent: PagerDuty-Webhook/V3.0\r\nX-Webhook-Id: " +
         webhook_id + "\r\nX-PagerDuty-Signature: " + sig +
         "\r\nContent-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
}

inline std::string get_request(const std::string& path) {
  return "GET " + path + " HTTP/1.1\r\nHost: warroom\r\n\r\n";
}

}  // namespace warroom::test
