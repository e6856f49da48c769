#include "faults.hpp"

#include <algorithm>

namespace warroom::sim {
namespace {

net::response pagerduty_fault(const fault_decision& d) {
  if (d.kind == fault_kind::rate_limit) {
    auto r = net::json_response(429, R"({"error":{"message":"Rate Limit Exceeded","code":2020}})");
    r.set_header("ratelimit-limit", "960");
    r.set_header("ratelimit-remaining", "0");
    r.set_header("ratelimit-reset", std::to_string(d.retry_after_s));
    return r;
  }
  return net::json_response(503, R"({"error":{"message":"Service Unavailable","code":5000}})");
}

net::response mattermost_fault(const fault_decision& d) {
  if (d.kind == fault_kind::rate_limit) {
    // Mattermost's throttler answers in plain text, not an AppError (NOTES §3.1).
    net::response r{429, {{"Content-Type", "text/plain; charset=utf-8"}}, "limit exceeded\n"};
    r.set_header("X-Ratelimit-Limit", "10");
    r.set_header("X-Ratelimit-Remaining", "0");
    r.set_header("X-Ratelimit-Reset", std::to_string(d.retry_after_s));
    return r;
  }
  return net::json_response(
      503, R"({"id":"api.context.server_busy.app_error","message":"Server is busy.",)"
           R"("detailed_error":"","status_code":503})");
}

net::response jira_fault(const fault_decision& d) {
  if (d.kind == fault_kind::rate_limit) {
    auto r = net::json_response(429, R"({"errorMessages":["Rate limit exceeded."],"errors":{}})");
    r.set_header("X-RateLimit-Limit", "100");
    r.set_header("X-RateLimit-Remaining", "0");
    r.set_header("RateLimit-Reason", "jira-burst-based");
    return r;
  }
  return net::json_response(
      503, R"({"errorMessages":["Service temporarily unavailable."],"errors":{}})");
}

template <class T>
bool read_number(const nlohmann::json& body, const char* key, T& out, error& err) {
  if (!body.contains(key)) return true;
  if (!body[key].is_number()) {
    err = make_error("bad_request", std::string(key) + " must be a number");
    return false;
  }
  out = body[key].get<T>();
  return true;
}

}  // namespace

result<fault_rule> parse_fault_rule(const nlohmann::json& body) {
  if (!body.is_object()) return make_error("bad_request", "a fault rule is a JSON object");
  fault_rule rule;
  error err;
  if (body.contains("route_prefix")) {
    if (!body["route_prefix"].is_string())
      return make_error("bad_request", "route_prefix must be a string");
    rule.route_prefix = body["route_prefix"].get<std::string>();
  }
  if (!read_number(body, "latency_ms", rule.latency_ms, err) ||
      !read_number(body, "latency_ms_min", rule.latency_min_ms, err) ||
      !read_number(body, "latency_ms_max", rule.latency_max_ms, err) ||
      !read_number(body, "error_rate", rule.error_rate, err) ||
      !read_number(body, "rate_limit_rate", rule.rate_limit_rate, err) ||
      !read_number(body, "reset_rate", rule.reset_rate, err) ||
      !read_number(body, "retry_after_s", rule.retry_after_s, err))
    return err;
  if (body.contains("hold")) {
    if (!body["hold"].is_boolean()) return make_error("bad_request", "hold must be true or false");
    rule.hold = body["hold"].get<bool>();
  }
  for (double rate : {rule.error_rate, rule.rate_limit_rate, rule.reset_rate})
    if (rate < 0 || rate > 1) return make_error("bad_request", "rates must be within 0..1");
  if (rule.error_rate + rule.rate_limit_rate + rule.reset_rate > 1.0 + 1e-9)
    return make_error("bad_request", "error_rate + rate_limit_rate + reset_rate exceeds 1");
  if (rule.latency_ms < 0 || rule.latency_min_ms < 0 || rule.latency_max_ms < rule.latency_min_ms)
    return make_error("bad_request", "latencies must be >= 0 and latency_ms_min <= latency_ms_max");
  if (rule.retry_after_s < 0) return make_error("bad_request", "retry_after_s must be >= 0");
  return rule;
}

nlohmann::json to_json(const fault_rule& rule) {
  return {{"route_prefix", rule.route_prefix},
          {"latency_ms", rule.latency_ms},
          {"latency_ms_min", rule.latency_min_ms},
          {"latency_ms_max", rule.latency_max_ms},
          {"error_rate", rule.error_rate},
          {"rate_limit_rate", rule.rate_limit_rate},
          {"reset_rate", rule.reset_rate},
          {"retry_after_s", rule.retry_after_s},
          {"hold", rule.hold}};
}

std::string_view to_string(fault_kind kind) {
  switch (kind) {
    case fault_kind::error:
      return "error";
    case fault_kind::rate_limit:
      return "rate_limit";
    case fault_kind::reset:
      return "reset";
    case fault_kind::none:
      break;
  }
  return "";
}

void fault_table::set(const std::string& service, fault_rule rule) {
  for (auto& e : rules_) {
    if (e.service == service && e.rule.route_prefix == rule.route_prefix) {
      e.rule = std::move(rule);
      return;
    }
  }
  rules_.push_back({service, std::move(rule)});
}

void fault_table::clear(std::string_view service) {
  std::erase_if(rules_, [&](const entry& e) { return service.empty() || e.service == service; });
}

fault_decision fault_table::decide(std::string_view service, std::string_view path,
                                   std::mt19937_64& random) const {
  const fault_rule* best = nullptr;
  for (const auto& e : rules_) {
    if (e.service != service || !path.starts_with(e.rule.route_prefix)) continue;
    if (!best || e.rule.route_prefix.size() > best->route_prefix.size()) best = &e.rule;
  }
  fault_decision d;
  if (!best) return d;
  d.retry_after_s = best->retry_after_s;
  d.hold = best->hold;
  d.delay = std::chrono::milliseconds(best->latency_ms);
  if (best->latency_max_ms > 0) {
    std::uniform_int_distribution<std::int64_t> pick(best->latency_min_ms, best->latency_max_ms);
    d.delay = std::chrono::milliseconds(pick(random));
  }
  const double draw = std::uniform_real_distribution<double>(0.0, 1.0)(random);
  if (draw < best->reset_rate) {
    d.kind = fault_kind::reset;
  } else if (draw < best->reset_rate + best->error_rate) {
    d.kind = fault_kind::error;
  } else if (draw < best->reset_rate + best->error_rate + best->rate_limit_rate) {
    d.kind = fault_kind::rate_limit;
  }
  return d;
}

nlohmann::json fault_table::to_json() const {
  auto out = nlohmann::json::object();
  for (const auto& e : rules_) {
    auto& list = out[e.service];
    if (list.is_null()) list = nlohmann::json::array();
    list.push_back(sim::to_json(e.rule));
  }
  return out;
}

net::response fault_response(std::string_view service, const fault_decision& decision) {
  net::response r = service == "mattermost" ? mattermost_fault(decision)
                    : service == "jira"     ? jira_fault(decision)
                                            : pagerduty_fault(decision);
  if (decision.kind == fault_kind::rate_limit)
    r.set_header("Retry-After", std::to_string(decision.retry_after_s));
  return r;
}

}  // namespace warroom::sim
