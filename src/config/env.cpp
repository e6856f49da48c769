#include <arpa/inet.h>
#include <cctype>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include <warroom/config/load.hpp>

namespace warroom::config {

environment system_environment() {
  environment env;
  env.variable = [](const std::string& name) -> std::optional<std::string> {
    // Read once at startup on the main thread, before any other thread exists.
    const char* value = std::getenv(name.c_str());  // NOLINT(concurrency-mt-unsafe)
    if (!value) return std::nullopt;
    return std::string(value);
  };
  env.read_file = [](const std::string& path) -> std::optional<std::string> {
    std::ifstream in(path, std::ios::binary);
    if (!in) return std::nullopt;
    std::ostringstream text;
    text << in.rdbuf();
    if (in.bad()) return std::nullopt;
    return text.str();
  };
  return env;
}

std::string substitute_env(std::string_view text, const environment& env,
                           std::vector<std::string>& missing) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '$' || i + 1 >= text.size()) {
      out += text[i];
      continue;
    }
    if (text[i + 1] == '$') {
      out += '$';
      ++i;
      continue;
    }
    const auto close = text.find('}', i + 2);
    if (text[i + 1] != '{' || close == std::string_view::npos) {
      out += text[i];
      continue;
    }
    const std::string name(text.substr(i + 2, close - i - 2));
    const auto value = env.variable ? env.variable(name) : std::nullopt;
    if (value) {
      out += *value;
    } else {
      missing.push_back(name);
    }
    i = close;
  }
  return out;
}

std::optional<listen_address> parse_listen_address(std::string_view text) {
  std::string_view host;
  std::string_view port;
  if (!text.empty() && text.front() == '[') {
    const auto close = text.find("]:");
    if (close == std::string_view::npos) return std::nullopt;
    host = text.substr(1, close - 1);
    port = text.substr(close + 2);
    if (host.find(':') == std::string_view::npos) return std::nullopt;
  } else {
    const auto colon = text.rfind(':');
    if (colon == std::string_view::npos) return std::nullopt;
    host = text.substr(0, colon);
    port = text.substr(colon + 1);
    if (host.find(':') != std::string_view::npos) return std::nullopt;
  }
  if (host.empty() || port.empty() || port.size() > 5) return std::nullopt;
  unsigned value = 0;
  for (char c : port) {
    if (!std::isdigit(static_cast<unsigned char>(c))) return std::nullopt;
    value = value * 10 + static_cast<unsigned>(c - '0');
  }
  if (value > 65535) return std::nullopt;
  const std::string host_text(host);
  unsigned char buffer[sizeof(in6_addr)];
  const bool literal = inet_pton(AF_INET, host_text.c_str(), buffer) == 1 ||
                       inet_pton(AF_INET6, host_text.c_str(), buffer) == 1;
  if (!literal && host != "localhost") return std::nullopt;
  return listen_address{std::string(host), static_cast<std::uint16_t>(value)};
}

}  // namespace warroom::config
