// The reply readers' input: the first byte picks the HTTP status (so every reader sees success,
// client-error and server-error replies), the rest is the body.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>

#include <warroom/api/http_call.hpp>

namespace warroom::fuzz {

inline api::http_reply reply_of(const std::uint8_t* data, std::size_t size) {
  static constexpr std::array<unsigned, 16> statuses = {200, 201, 204, 200, 400, 401, 403, 404,
                                                        409, 422, 429, 500, 502, 503, 302, 0};
  api::http_reply reply;
  if (size == 0) return reply;
  reply.status = statuses[data[0] % statuses.size()];
  reply.headers.push_back({"Content-Type", "application/json"});
  reply.body.assign(reinterpret_cast<const char*>(data) + 1, size - 1);
  return reply;
}

}  // namespace warroom::fuzz
