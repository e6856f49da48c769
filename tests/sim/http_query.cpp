#include "http_query.hpp"

namespace warroom::sim {
namespace {

int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

/// '+' is a space in query strings (application/x-www-form-urlencoded).
std::string decode_component(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '+') {
      out += ' ';
    } else if (c == '%' && i + 2 < text.size() && hex_digit(text[i + 1]) >= 0 &&
               hex_digit(text[i + 2]) >= 0) {
      out += static_cast<char>(hex_digit(text[i + 1]) * 16 + hex_digit(text[i + 2]));
      i += 2;
    } else {
      out += c;  // a stray '%' stays literal, as lenient servers keep it
    }
  }
  return out;
}

}  // namespace

query_params::query_params(std::string_view raw) {
  while (!raw.empty()) {
    const auto amp = raw.find('&');
    const auto item = raw.substr(0, amp);
    raw = amp == std::string_view::npos ? std::string_view{} : raw.substr(amp + 1);
    if (item.empty()) continue;
    const auto eq = item.find('=');
    items_.emplace_back(decode_component(item.substr(0, eq)),
                        eq == std::string_view::npos ? "" : decode_component(item.substr(eq + 1)));
  }
}

std::vector<std::string> query_params::all(std::string_view name) const {
  std::vector<std::string> out;
  for (const auto& [n, v] : items_)
    if (n == name) out.push_back(v);
  return out;
}

std::optional<std::string> query_params::first(std::string_view name) const {
  for (const auto& [n, v] : items_)
    if (n == name) return v;
  return std::nullopt;
}

std::vector<std::string_view> split_path(std::string_view path) {
  std::vector<std::string_view> out;
  while (!path.empty()) {
    const auto slash = path.find('/');
    if (slash != 0) out.push_back(path.substr(0, slash));
    if (slash == std::string_view::npos) break;
    path.remove_prefix(slash + 1);
  }
  return out;
}

}  // namespace warroom::sim
