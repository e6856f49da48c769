// faults: injected latency and failures per fake service and route prefix, decided per request
// from a caller-supplied random generator (so tests can seed it). Single-threaded; owned by the
// simulator.
#pragma once

#include <chrono>
#include <cstdint>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include <warroom/net/message.hpp>
#include <warroom/util/result.hpp>

namespace warroom::sim {

/// One rule, as posted to `POST /faults/{service}`. The three rates partition one draw, so each
/// is observed at its own value (their sum must not exceed 1).
struct fault_rule {
  std::string route_prefix;                             // "" = every route of the service
  std::int64_t latency_ms = 0;                          // fixed added latency, or:
  std::int64_t latency_min_ms = 0, latency_max_ms = 0;  // uniform random when max > 0
  double error_rate = 0;                                // 503 with the vendor's error body
  double rate_limit_rate = 0;  // 429 with Retry-After and the vendor's rate-limit headers
  double reset_rate = 0;       // connection closed without an answer
  std::int64_t retry_after_s = 1;
  bool hold = false;  // keep the request unanswered until POST /holds/release (or 30 s)
};

enum class fault_kind { none, error, rate_limit, reset };

struct fault_decision {
  std::chrono::milliseconds delay{0};
  fault_kind kind = fault_kind::none;
  std::int64_t retry_after_s = 1;
  bool hold = false;
};

/// Reads a rule; errors name the offending key.
result<fault_rule> parse_fault_rule(const nlohmann::json& body);
nlohmann::json to_json(const fault_rule& rule);
std::string_view to_string(fault_kind kind);

class fault_table {
 public:
  /// Adds a rule for `service`, replacing one with the same route prefix.
  void set(const std::string& service, fault_rule rule);
  /// Removes every rule of `service` ("" = of all services).
  void clear(std::string_view service = {});

  /// The rule with the longest matching prefix decides; no rule: no fault.
  fault_decision decide(std::string_view service, std::string_view path,
                        std::mt19937_64& random) const;
  nlohmann::json to_json() const;

 private:
  struct entry {
    std::string service;
    fault_rule rule;
  };
  std::vector<entry> rules_;
};

/// The answer a real service gives for an injected error or rate limit (PagerDuty, Mattermost
/// and Jira each have their own body and headers).
net::response fault_response(std::string_view service, const fault_decision& decision);

}  // namespace warroom::sim
