#include <algorithm>
#include <cctype>
#include <charconv>

#include <warroom/util/url.hpp>

namespace warroom::util {
namespace {

std::uint16_t default_port(std::string_view scheme) {
  return scheme == "https" ? 443 : 80;
}

std::string lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

bool valid_host(std::string_view host) {
  if (host.empty()) return false;
  return std::all_of(host.begin(), host.end(), [](unsigned char c) {
    return std::isalnum(c) || c == '.' || c == '-' || c == '_' || c == ':';
  });
}

}  // namespace

std::string url::origin() const {
  std::string out = scheme + "://" + host_header();
  return out;
}

std::string url::host_header() const {
  std::string h = host.find(':') != std::string::npos ? "[" + host + "]" : host;
  if (port != default_port(scheme)) h += ":" + std::to_string(port);
  return h;
}

result<url> parse_url(std::string_view text) {
  const auto sep = text.find("://");
  if (sep == std::string_view::npos)
    return make_error("bad_url", "must start with http:// or https://");
  url out;
  out.scheme = lower(text.substr(0, sep));
  if (out.scheme != "http" && out.scheme != "https")
    return make_error("bad_url", "scheme must be http or https");
  std::string_view rest = text.substr(sep + 3);
  if (rest.find_first_of("?#") != std::string_view::npos)
    return make_error("bad_url", "must not have a query or fragment");
  const auto slash = rest.find('/');
  std::string_view authority = rest.substr(0, slash);
  std::string_view path = slash == std::string_view::npos ? std::string_view{} : rest.substr(slash);
  if (authority.find('@') != std::string_view::npos)
    return make_error("bad_url", "must not carry credentials");

  std::string_view host = authority;
  std::string_view port;
  if (!authority.empty() && authority.front() == '[') {
    const auto close = authority.find(']');
    if (close == std::string_view::npos) return make_error("bad_url", "unclosed IPv6 bracket");
    host = authority.substr(1, close - 1);
    std::string_view after = authority.substr(close + 1);
    if (!after.empty()) {
      if (after.front() != ':') return make_error("bad_url", "bad text after IPv6 address");
      port = after.substr(1);
    }
  } else if (const auto colon = authority.rfind(':'); colon != std::string_view::npos) {
    host = authority.substr(0, colon);
    port = authority.substr(colon + 1);
  }
  if (!valid_host(host)) return make_error("bad_url", "missing or invalid host");
  out.host = lower(host);
  out.port = default_port(out.scheme);
  if (!port.empty() || authority.ends_with(':')) {
    unsigned value = 0;
    auto [ptr, ec] = std::from_chars(port.data(), port.data() + port.size(), value);
    if (ec != std::errc{} || ptr != port.data() + port.size() || value == 0 || value > 65535)
      return make_error("bad_url", "invalid port");
    out.port = static_cast<std::uint16_t>(value);
  }
  while (!path.empty() && path.back() == '/')
    path.remove_suffix(1);
  out.path = std::string(path);
  return out;
}

std::string percent_encode(std::string_view text) {
  static constexpr char hex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(text.size());
  for (unsigned char c : text) {
    if (std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += hex[c >> 4];
      out += hex[c & 0xF];
    }
  }
  return out;
}

}  // namespace warroom::util
