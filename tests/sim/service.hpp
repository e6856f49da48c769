// warroom-sim: the interface every fake service implements. A fake is a plain state machine over
// net::request/net::response values (no sockets), so it is unit-tested directly; sim_main wires
// each one to its own loopback listener, the journal, the fault injector and the control API.
// Single-threaded: the simulator calls every method from its one io_context thread.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include <warroom/api/http_call.hpp>
#include <warroom/net/message.hpp>
#include <warroom/util/result.hpp>

namespace warroom::sim {

/// A request the fake wants sent to the outside world (a PagerDuty webhook to a subscriber, a
/// Mattermost button callback to an integration URL). The simulator sends it with the project's
/// HTTP client and reports the answer back through on_outbound_reply().
struct outbound {
  api::http_call call;
  std::string purpose;         // "webhook", "action"
  nlohmann::json correlation;  // whatever the fake needs to match the reply (post id, ...)
};

class service {
 public:
  virtual ~service() = default;

  /// "pagerduty", "mattermost" or "jira".
  virtual std::string_view name() const = 0;

  /// Answers one API request exactly as the real service would (status codes, error bodies).
  /// `now_ms` is the simulator's clock (Unix ms).
  virtual net::response handle(const net::request& req, std::int64_t now_ms) = 0;

  /// The service's own base URL once its listener is bound (for URLs it hands out).
  virtual void on_listening(std::string_view /*base_url*/) {}

  /// Control API: replaces or extends the fake's data (users, teams, projects, ...).
  virtual result<void> seed(const nlohmann::json& data) = 0;
  /// Control API: the fake's whole state as JSON, for tests to assert on.
  virtual nlohmann::json state() const = 0;

  /// Control API verbs specific to the service ("trigger", "click", ...): `verb` and its JSON
  /// arguments; the answer is returned to the control API caller as JSON.
  virtual result<nlohmann::json> control(std::string_view verb, const nlohmann::json& args,
                                         std::int64_t now_ms) = 0;

  /// Requests the fake wants sent since the last call (webhooks, button callbacks).
  virtual std::vector<outbound> take_outbox() = 0;
  /// The answer to an outbound request (status 0 when it could not be delivered).
  virtual void on_outbound_reply(const outbound& sent, const api::http_reply& reply,
                                 std::int64_t now_ms) = 0;
};

}  // namespace warroom::sim
