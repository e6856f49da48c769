#include <algorithm>
#include <cctype>

#include <warroom/net/framing.hpp>

namespace warroom::net {
namespace {

bool iequals(std::string_view a, std::string_view b) {
  return api::header_name_equal(a, b);
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t'))
    s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t'))
    s.remove_suffix(1);
  return s;
}

}  // namespace

std::optional<framing_error> check_framing(std::string_view target,
                                           const std::vector<api::header>& headers) {
  if (target.empty() || target.front() != '/' || target.starts_with("//"))
    return framing_error{"request target must be origin-form (/path?query)"};

  int hosts = 0;
  int lengths = 0;
  int encodings = 0;
  for (const auto& h : headers) {
    if (iequals(h.name, "host")) {
      ++hosts;
    } else if (iequals(h.name, "content-length")) {
      ++lengths;
      const auto value = trim(h.value);
      if (value.empty() ||
          !std::all_of(value.begin(), value.end(), [](unsigned char c) { return std::isdigit(c); }))
        return framing_error{"Content-Length must be a single decimal number"};
    } else if (iequals(h.name, "transfer-encoding")) {
      ++encodings;
      if (!iequals(trim(h.value), "chunked"))
        return framing_error{"Transfer-Encoding other than chunked is not accepted"};
    }
  }
  if (hosts == 0) return framing_error{"missing Host header"};
  if (hosts > 1) return framing_error{"repeated Host header"};
  if (lengths > 1) return framing_error{"several Content-Length headers"};
  if (encodings > 1) return framing_error{"several Transfer-Encoding headers"};
  if (encodings == 1 && lengths == 1)
    return framing_error{"both Transfer-Encoding and Content-Length"};
  return std::nullopt;
}

}  // namespace warroom::net
