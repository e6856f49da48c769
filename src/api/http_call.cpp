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

}  // namespace

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
  return a.size() == b.size() &&
         std::equal(a.begin(), a.end(), b.begin(), [](unsigned char x, unsigned char y) {
           return std::tolower(x) == std::tolower(y);
         });
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
