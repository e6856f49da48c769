// pagerduty_fake: PagerDuty's REST API v2 (incidents, notes, on-calls, users) and its V3 webhooks,
// as a sim::service. Every incident change, whether from the REST API or a control verb, queues
// one signed webhook per subscriber in the outbox. Owned by the simulator; single-threaded.
//
// Enforced like PagerDuty (NOTES §2.1): "Authorization: Token token=<token>" (401, code 2006),
// "Accept: application/vnd.pagerduty+json;version=2" (400, code 2001: the spec marks it required
// and lists 400 for invalid arguments), "Content-Type: application/json" on bodies (400, 2001),
// and "From: <a known user's email>" on PUT /incidents/{id} and POST /incidents/{id}/notes (400,
// code 2016). Notes answer 200, as the spec says.
#pragma once

#include <random>
#include <string>
#include <vector>

#include <warroom/util/secret.hpp>

#include "pagerduty_model.hpp"
#include "pagerduty_webhooks.hpp"
#include "service.hpp"

namespace warroom::sim {

struct pagerduty_fake_options {
  util::secret token;                     // empty: any "Token token=<non-empty>" is accepted
  std::vector<std::string> webhook_urls;  // subscribers of the V3 webhooks
  util::secret webhook_secret;            // empty: webhooks go unsigned
  std::string web_url = "https://sim.pagerduty.example";  // html_url base
};

/// An error as PagerDuty answers it: {"error": {"message", "code", "errors"}}.
struct pd_error {
  unsigned status = 400;
  int code = 2001;
  std::string message = "Invalid Input Provided";
  std::vector<std::string> errors;
};

class pagerduty_fake final : public service {
 public:
  /// Throws std::invalid_argument for a webhook URL that is not an absolute http(s) URL.
  explicit pagerduty_fake(pagerduty_fake_options options = {});

  std::string_view name() const override { return "pagerduty"; }
  net::response handle(const net::request& req, std::int64_t now_ms) override;
  result<void> seed(const nlohmann::json& data) override { return model_.seed(data); }
  nlohmann::json state() const override;
  /// Verbs: trigger, acknowledge, resolve, reassign, set_priority, add_note, subscribe. The
  /// acting user is "from" (email) or "user_id"; none means automation (agent null).
  result<nlohmann::json> control(std::string_view verb, const nlohmann::json& args,
                                 std::int64_t now_ms) override;
  std::vector<outbound> take_outbox() override { return std::exchange(outbox_, {}); }
  void on_outbound_reply(const outbound& sent, const api::http_reply& reply,
                         std::int64_t now_ms) override;

  /// Adds a webhook subscriber; returns its subscription id.
  result<std::string> subscribe(const std::string& url);

 private:
  template <class T>
  using pd_result = result<T, pd_error>;

  // REST (pagerduty_rest.cpp).
  pd_result<nlohmann::json> route(const net::request& req, std::int64_t now);
  pd_result<nlohmann::json> update_incident(const net::request& req, pd::incident& inc,
                                            std::int64_t now);
  pd_result<nlohmann::json> create_note(const net::request& req, pd::incident& inc,
                                        std::int64_t now);
  pd_result<nlohmann::json> list_oncalls(const net::request& req) const;
  pd_result<nlohmann::json> list_users(const net::request& req) const;
  pd_result<const pd::user*> acting_user(const net::request& req) const;

  // Chat-command routes (pagerduty_commands.cpp); nullopt when the request is none of them.
  std::optional<pd_result<nlohmann::json>> route_commands(const net::request& req,
                                                          std::int64_t now);
  pd_result<nlohmann::json> create_incident(const net::request& req, std::int64_t now);
  pd_result<nlohmann::json> create_responder_request(const net::request& req, pd::incident& inc,
                                                     std::int64_t now);

  // Changes shared by REST and control; each queues its webhooks.
  pd_result<pd::incident*> trigger(const nlohmann::json& args, const pd::user* agent,
                                   std::int64_t now);
  pd_result<void> set_status(pd::incident& inc, const std::string& status, const pd::user* agent,
                             const std::string& resolution, std::int64_t now);
  void reassign(pd::incident& inc, std::vector<std::string> user_ids, const pd::user* agent,
                std::int64_t now);
  void set_priority(pd::incident& inc, const pd::priority& p, const pd::user* agent,
                    std::int64_t now);
  const pd::note& add_note(pd::incident& inc, const pd::user* author, std::string content,
                           std::int64_t now);
  void emit(const std::string& event_type, const pd::incident& inc, const pd::user* agent,
            nlohmann::json data, std::int64_t now);
  std::vector<std::string> first_level(const std::string& policy_id) const;
  std::string uuid();

  pagerduty_fake_options options_;
  pd::model model_;
  std::vector<pd::subscription> subscriptions_;
  std::vector<outbound> outbox_;
  nlohmann::json delivery_log_ = nlohmann::json::array();
  nlohmann::json responder_requests_ = nlohmann::json::array();
  std::mt19937_64 random_{7};
};

}  // namespace warroom::sim
