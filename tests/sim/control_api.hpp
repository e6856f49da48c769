// control_api: the simulator's JSON control surface, served on its own port. Tests, the demo and
// the benchmarks use it to seed data, drive the fakes (trigger, acknowledge, click, ...), inject
// faults and read the request journal and the outbound deliveries.
//
//   GET    /healthz                          {"status":"ok"}
//   GET    /listeners                        {"pagerduty": port, ..., "control": port}
//   GET    /journal[?service=x&since=N]      {"requests":[...], "last_seq": N}
//   DELETE /journal
//   POST   /seed/{service}                   body: the fake's seed JSON
//   GET    /state/{service}                  the fake's whole state
//   POST   /control/{service}/{verb}         body: the verb's arguments; answer: its result
//   GET    /faults | POST /faults/{service} | DELETE /faults[/{service}]
//   GET    /webhooks[?purpose=webhook]       {"deliveries":[...]} (outbound calls and outcomes)
//
// Errors use the house shape {"error": word, "message": sentence}. Single-threaded (runs on the
// simulator's io_context).
#pragma once

#include <warroom/net/message.hpp>
#include <warroom/net/server.hpp>

namespace warroom::sim {

class simulator;

/// Answers one control request (synchronous: nothing here waits).
net::response handle_control(simulator& sim, const net::request& req);

/// Routes GET, POST and DELETE on every path to handle_control.
net::router make_control_routes(simulator& sim);

}  // namespace warroom::sim
