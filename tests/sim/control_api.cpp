#include "control_api.hpp"

#include <boost/asio/use_awaitable.hpp>

#include "http_query.hpp"
#include "simulator.hpp"

namespace warroom::sim {
namespace {

using nlohmann::json;

net::response ok(const json& body) {
  return net::json_response(200, body.dump());
}

net::response failed(const error& e) {
  const unsigned status = e.code == "not_found" ? 404 : 400;
  return net::error_response(status, net::error_word(status), e.message);
}

json parse_body(const net::request& req) {
  if (req.body.empty()) return json::object();
  return json::parse(req.body, nullptr, false);
}

net::response faults_route(simulator& sim, const net::request& req,
                           const std::vector<std::string>& parts) {
  if (req.method == "GET" && parts.size() == 1) return ok(sim.faults().to_json());
  if (req.method == "DELETE") {
    sim.faults().clear(parts.size() > 1 ? parts[1] : "");
    return ok(sim.faults().to_json());
  }
  if (req.method != "POST" || parts.size() != 2)
    return failed(make_error("not_found", "no such route"));
  if (!sim.find(parts[1])) return failed(make_error("not_found", "no such service: " + parts[1]));
  const auto body = parse_body(req);
  // One rule, or a list of rules for several route prefixes.
  for (const auto& r : body.is_array() ? body : json::array({body})) {
    auto rule = parse_fault_rule(r);
    if (!rule) return failed(rule.error());
    sim.faults().set(parts[1], std::move(*rule));
  }
  return ok(sim.faults().to_json());
}

net::response service_route(simulator& sim, const net::request& req,
                            const std::vector<std::string>& parts) {
  service* svc = parts.size() >= 2 ? sim.find(parts[1]) : nullptr;
  if (!svc) return failed(make_error("not_found", "no such service"));
  const auto& what = parts[0];
  if (what == "state" && req.method == "GET" && parts.size() == 2) return ok(svc->state());
  const auto body = parse_body(req);
  if (body.is_discarded()) return failed(make_error("bad_request", "the body is not JSON"));
  if (what == "seed" && req.method == "POST" && parts.size() == 2) {
    auto done = svc->seed(body);
    if (!done) return failed(done.error());
    sim.flush();
    return ok(json{{"seeded", parts[1]}});
  }
  if (what == "control" && req.method == "POST" && parts.size() == 3) {
    auto answer = svc->control(parts[2], body, simulator::now_ms());
    sim.flush();
    if (!answer) return failed(answer.error());
    return ok(*answer);
  }
  return failed(make_error("not_found", "no such route"));
}

}  // namespace

net::response handle_control(simulator& sim, const net::request& req) {
  std::vector<std::string> parts;
  for (auto part : split_path(req.path()))
    parts.emplace_back(part);
  const query_params q(req.query());
  if (parts.size() == 1 && parts[0] == "healthz") return ok(json{{"status", "ok"}});
  if (parts.size() == 1 && parts[0] == "listeners") {
    json out = json::object();
    for (const auto& [name, port] : sim.listeners())
      out[name] = port;
    return ok(out);
  }
  if (parts.size() == 1 && parts[0] == "journal") {
    if (req.method == "DELETE") {
      sim.requests().clear();
      return ok(json{{"cleared", true}});
    }
    const auto since = q.first("since").value_or("0");
    if (since.empty() || since.size() > 18 ||
        since.find_first_not_of("0123456789") != std::string::npos)
      return failed(make_error("bad_request", "since must be a sequence number"));
    return ok(sim.requests().to_json(q.first("service").value_or(""), std::stoull(since)));
  }
  if (parts.size() == 1 && parts[0] == "webhooks")
    return ok(sim.sender().deliveries_json(q.first("purpose").value_or("")));
  if (!parts.empty() && parts[0] == "faults") return faults_route(sim, req, parts);
  if (parts.size() == 1 && parts[0] == "holds" && req.method == "GET") return ok(sim.holds_json());
  if (parts.size() == 2 && parts[0] == "holds" && parts[1] == "release" && req.method == "POST") {
    const auto body = parse_body(req);
    if (!body.is_object())
      return failed(make_error("bad_request", "the body is not a JSON object"));
    const auto released = sim.release(body.value("service", ""), body.value("route_prefix", ""));
    return ok(json{{"released", released}});
  }
  if (!parts.empty() && (parts[0] == "seed" || parts[0] == "state" || parts[0] == "control"))
    return service_route(sim, req, parts);
  return failed(make_error("not_found", "no such route"));
}

net::router make_control_routes(simulator& sim) {
  net::router routes;
  for (const char* method : {"GET", "POST", "DELETE"}) {
    routes.add(method, "/*", [&sim](net::request req) -> boost::asio::awaitable<net::response> {
      co_return handle_control(sim, req);
    });
  }
  return routes;
}

}  // namespace warroom::sim
