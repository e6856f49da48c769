#include <string>

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

namespace {

bool framing_header(std::string_view name) {
  for (std::string_view ours : {"content-length", "transfer-encoding", "connection", "server"})
    if (api::header_name_equal(name, ours)) return true;
  return false;
}

void append_header_text(std::string& out, std::string_view text) {
  for (char c : text)
    if (c != '\r' && c != '\n' && c != '\0') out += c;
}

}  // namespace

std::string_view reason_phrase(unsigned status) {
  switch (status) {
    case 100:
      return "Continue";
    case 101:
      return "Switching Protocols";
    case 200:
      return "OK";
    case 201:
      return "Created";
    case 202:
      return "Accepted";
    case 204:
      return "No Content";
    case 301:
      return "Moved Permanently";
    case 302:
      return "Found";
    case 304:
      return "Not Modified";
    case 400:
      return "Bad Request";
    case 401:
      return "Unauthorized";
    case 403:
      return "Forbidden";
    case 404:
      return "Not Found";
    case 405:
      return "Method Not Allowed";
    case 408:
      return "Request Timeout";
    case 409:
      return "Conflict";
    case 411:
      return "Length Required";
    case 413:
      return "Payload Too Large";
    case 414:
      return "URI Too Long";
    case 415:
      return "Unsupported Media Type";
    case 422:
      return "Unprocessable Entity";
    case 429:
      return "Too Many Requests";
    case 431:
      return "Request Header Fields Too Large";
    case 500:
      return "Internal Server Error";
    case 501:
      return "Not Implemented";
    case 502:
      return "Bad Gateway";
    case 503:
      return "Service Unavailable";
    case 504:
      return "Gateway Timeout";
    default:
      return "Unknown";
  }
}

std::string serialize_response(const response& r, unsigned version, bool keep_alive) {
  const bool bodiless = (r.status >= 100 && r.status < 200) || r.status == 204 || r.status == 304;
  const std::string status = std::to_string(r.status);
  const std::string length = std::to_string(r.body.size());
  std::string out;
  out.reserve(128 + r.body.size());
  out += version == 10 ? "HTTP/1.0 " : "HTTP/1.1 ";
  out += status;
  out += ' ';
  out += reason_phrase(r.status);
  out += "\r\n";
  for (const auto& h : r.headers) {
    if (framing_header(h.name)) continue;
    append_header_text(out, h.name);
    out += ": ";
    append_header_text(out, h.value);
    out += "\r\n";
  }
  out += "Server: warroom\r\n";
  // HTTP/1.1 keeps a connection unless told to close it; HTTP/1.0 closes unless told to keep it.
  if (version == 10 && keep_alive) out += "Connection: keep-alive\r\n";
  if (version != 10 && !keep_alive) out += "Connection: close\r\n";
  if (!bodiless) {
    out += "Content-Length: ";
    out += length;
    out += "\r\n";
  }
  out += "\r\n";
  if (!bodiless) out += r.body;
  return out;
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
