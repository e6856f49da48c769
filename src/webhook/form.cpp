#include <warroom/webhook/form.hpp>

namespace warroom::webhook {
namespace {

int hex_value(char c) noexcept {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

result<std::string> decode_component(std::string_view in) {
  std::string out;
  out.reserve(in.size());
  for (std::size_t i = 0; i < in.size(); ++i) {
    char c = in[i];
    if (c == '+') {
      c = ' ';
    } else if (c == '%') {
      const int hi = i + 1 < in.size() ? hex_value(in[i + 1]) : -1;
      const int lo = i + 2 < in.size() ? hex_value(in[i + 2]) : -1;
      if (hi < 0 || lo < 0) return make_error("bad_request", "bad %-escape in form body");
      c = static_cast<char>(hi * 16 + lo);
      i += 2;
    }
    if (c == '\0') return make_error("bad_request", "NUL byte in form body");
    out.push_back(c);
  }
  return out;
}

bool unreserved(unsigned char c) noexcept {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '_' || c == '.' || c == '~';
}

void encode_component(std::string_view in, std::string& out) {
  constexpr char digits[] = "0123456789ABCDEF";
  for (const char ch : in) {
    const auto c = static_cast<unsigned char>(ch);
    if (unreserved(c)) {
      out.push_back(ch);
    } else if (c == ' ') {
      out.push_back('+');
    } else {
      out.push_back('%');
      out.push_back(digits[c >> 4]);
      out.push_back(digits[c & 15]);
    }
  }
}

}  // namespace

result<form_fields> parse_form(std::string_view body, std::size_t max_fields) {
  form_fields out;
  while (!body.empty()) {
    const auto amp = body.find('&');
    const auto pair = body.substr(0, amp);
    body = amp == std::string_view::npos ? std::string_view{} : body.substr(amp + 1);
    if (out.size() == max_fields) return make_error("bad_request", "too many form fields");
    const auto eq = pair.find('=');
    if (eq == std::string_view::npos || eq == 0)
      return make_error("bad_request", "form field without a name or '='");
    auto name = decode_component(pair.substr(0, eq));
    if (!name) return std::move(name).error();
    auto value = decode_component(pair.substr(eq + 1));
    if (!value) return std::move(value).error();
    if (name->empty()) return make_error("bad_request", "form field without a name");
    if (out.contains(*name)) return make_error("bad_request", "a form field is given twice");
    out.emplace(std::move(*name), std::move(*value));
  }
  return out;
}

std::string encode_form(const form_fields& fields) {
  std::string out;
  for (const auto& [name, value] : fields) {
    if (!out.empty()) out.push_back('&');
    encode_component(name, out);
    out.push_back('=');
    encode_component(value, out);
  }
  return out;
}

}  // namespace warroom::webhook
