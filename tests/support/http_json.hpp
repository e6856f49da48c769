// Small JSON-over-HTTP helper for black-box tests (control APIs, admin API), on raw_client.
#pragma once

#include <chrono>
#include <string>
#include <thread>

#include <nlohmann/json.hpp>

#include "support/raw_client.hpp"

namespace warroom::test {

struct json_reply {
  unsigned status = 0;
  nlohmann::json body;
};

inline json_reply http_json(std::uint16_t port, const std::string& method, const std::string& path,
                            const nlohmann::json& body = nullptr,
                            const std::string& extra_headers = "") {
  raw_client client(port);
  const std::string payload = body.is_null() ? "" : body.dump();
  client.send(method + " " + path + " HTTP/1.1\r\nHost: test\r\nConnection: close\r\n" +
              extra_headers + "Content-Type: application/json\r\nContent-Length: " +
              std::to_string(payload.size()) + "\r\n\r\n" + payload);
  const auto raw = client.read_response(std::chrono::seconds(10));
  json_reply out;
  out.status = status_of(raw);
  const auto split = raw.find("\r\n\r\n");
  if (split != std::string::npos)
    out.body = nlohmann::json::parse(raw.substr(split + 4), nullptr, false);
  return out;
}

/// Re-checks `pred` until it holds or `deadline` passes. The condition lives in another process
/// (daemon, simulator), so there is nothing to block on: it is polled every 20 ms.
template <class Pred>
bool eventually(Pred pred, std::chrono::milliseconds deadline = std::chrono::seconds(20)) {
  const auto until = std::chrono::steady_clock::now() + deadline;
  while (std::chrono::steady_clock::now() < until) {
    if (pred()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));  // polling interval, see above
  }
  return pred();
}

}  // namespace warroom::test
