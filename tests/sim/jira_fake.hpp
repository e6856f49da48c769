// warroom-sim: a stateful fake of the Jira REST API subset the daemon uses, on /rest/api/2
// (Server/Data Center flavour: plain-string rich text, startAt search) and /rest/api/3 (Cloud:
// ADF rich text, /search/jql), answering with Jira's statuses and ErrorCollection bodies
// (NOTES §4). Owned by the simulator; single-threaded (see service.hpp).
#pragma once

#include "jira_model.hpp"
#include "service.hpp"

namespace warroom::sim {

/// Seed (all keys optional; present ones replace, projects are upserted by key):
/// {"email":"...","token":"...","pat":"...",
///  "projects":[{"key":"OPS","id":"10000","issue_types":["Incident","Task"]}],
///  "priorities":["Highest","High","Medium","Low","Lowest"],"index_lag_ms":0}.
/// Auth: Basic base64(email:token) (Cloud) or Bearer <pat> (Data Center).
/// Workflow: To Do (new) → In Progress (indeterminate) → Done (done), global transitions 11/21/31.
/// Search finds an issue only index_lag_ms after its creation.
/// No control verbs; state: projects, priorities, index_lag_ms, issues (with status category,
/// comments and remote links).
class jira_fake final : public service {
 public:
  std::string_view name() const override { return "jira"; }
  net::response handle(const net::request& req, std::int64_t now_ms) override;
  result<void> seed(const nlohmann::json& data) override;
  nlohmann::json state() const override;
  result<nlohmann::json> control(std::string_view verb, const nlohmann::json& args,
                                 std::int64_t now_ms) override;
  std::vector<outbound> take_outbox() override { return {}; }
  void on_outbound_reply(const outbound&, const api::http_reply&, std::int64_t) override {}

 private:
  bool authenticated(const net::request& req) const;

  jira::world world_;
};

}  // namespace warroom::sim
