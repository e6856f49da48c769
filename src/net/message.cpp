#include <nlohmann/json.hpp>

#include <warroom/net/message.hpp>

namespace warroom::net {

std::string_view request::path() const {
  std::string_view t = target;
  return t.substr(0, t.find('?'));
}

std::string_view request::query() const {
  std::string_view t = target;
  const auto q = t.find('?');
  return q == std::string_view::npos ? std::string_view{} : t.substr(q + 1);
}

std::optional<std::string_view> request::header_value(std::string_view name) const {
  for (const auto& h : headers)
    if (api::header_name_equal(h.name, name)) return std::string_view(h.value);
  return std::nullopt;
}

void response::set_header(std::string name, std::string value) {
  for (auto& h : headers) {
    if (api::header_name_equal(h.name, name)) {
      h.value = std::move(value);
      return;
    }
  }
  headers.push_back({std::move(name), std::move(value)});
}

response json_response(unsigned status, std::string body) {
  response r;
  r.status = status;
  r.body = std::move(body);
  r.headers.push_back({"Content-Type", "application/json"});
  return r;
}

response error_response(unsigned status, std::string_view word, std::string_view message) {
  nlohmann::json body = {{"error", word}, {"message", message}};
  return json_response(status, body.dump());
}

std::string_view error_word(unsigned status) {
  switch (status) {
    case 400:
      return "bad_request";
    case 401:
      return "unauthorized";
    case 403:
      return "forbidden";
    case 404:
      return "not_found";
    case 405:
      return "method_not_allowed";
    case 408:
      return "request_timeout";
    case 413:
      return "payload_too_large";
    case 431:
      return "headers_too_large";
    case 503:
      return "unavailable";
    default:
      return status >= 500 ? "internal" : "bad_request";
  }
}

}  // namespace warroom::net
