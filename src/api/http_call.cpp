#include <algorithm>
#include <cctype>

#include <warroom/api/http_call.hpp>

namespace warroom::api {
namespace {

std::optional<std::string_view> find_header(const std::vector<header>& headers,
                                            std::string_view name) {
  for (const auto& h : headers)
    if (header_name_equal(h.name, name)) return std::string_view(h.value);
  return std::nullopt;
}

bool is_secret_header(std::string_view name) {
  return header_name_equal(name, "authorization") || header_name_equal(name, "cookie") ||
         header_name_equal(name, "set-cookie") ||
         header_name_equal(name, "x-pagerduty-signature") ||
         header_name_equal(name, "proxy-authorization");
}

// A path segment that names one thing rather than a collection: it holds a digit, an '@' or an
// escape, is long (Mattermost ids are 26 letters), or follows a segment that always takes a name.
bool is_variable(std::string_view segment, std::string_view previous) {
  if (previous == "name" || previous == "email" || previous == "username") return true;
  if (segment.size() >= 20) return true;
  return std::any_of(segment.begin(), segment.end(), [](char c) {
    return std::isdigit(static_cast<unsigned char>(c)) != 0 || c == '@' || c == '%';
  });
}

}  // namespace

std::string operation_name(const http_call& call) {
  std::string_view path(call.target);
  path = path.substr(0, path.find('?'));
  std::string out(to_string(call.method));
  out += ' ';
  std::string_view previous;
  while (!path.empty()) {
    path.remove_prefix(path.front() == '/' ? 1 : 0);
    const auto end = path.find('/');
    const auto segment = path.substr(0, end);
    out += '/';
    // "v4", "3" and "2" are API versions, not ids.
    const bool version = previous == "api" || previous == "rest" || segment == "v4";
    out += !version && is_variable(segment, previous) ? std::string_view(":id") : segment;
    previous = segment;
    path = end == std::string_view::npos ? std::string_view() : path.substr(end);
  }
  return out;
}

std::string_view to_string(http_method method) {
  switch (method) {
    case http_method::get:
      return "GET";
    case http_method::post:
      return "POST";
    case http_method::put:
      return "PUT";
    case http_method::patch:
      return "PATCH";
    case http_method::delete_:
      return "DELETE";
  }
  return "GET";
}

bool header_name_equal(std::string_view a, std::string_view b) {
  // Header names are ASCII tokens (RFC 9110 §5.1): folding A-Z is the whole of their case, without
  // a locale-aware call per byte on every lookup of every request.
  const auto fold = [](unsigned char c) { return c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c; };
  return a.size() == b.size() &&
         std::equal(a.begin(), a.end(), b.begin(),
                    [&](unsigned char x, unsigned char y) { return fold(x) == fold(y); });
}

bool http_call::idempotent() const {
  return method == http_method::get || method == http_method::put || method == http_method::delete_;
}

std::optional<std::string_view> http_call::header_value(std::string_view name) const {
  return find_header(headers, name);
}

std::optional<std::string_view> http_reply::header_value(std::string_view name) const {
  return find_header(headers, name);
}

std::vector<header> redacted_headers(const std::vector<header>& headers) {
  std::vector<header> out = headers;
  for (auto& h : out)
    if (is_secret_header(h.name)) h.value = "<redacted>";
  return out;
}

}  // namespace warroom::api
