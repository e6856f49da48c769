#include <array>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <string>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include <warroom/domain/text.hpp>
#include <warroom/webhook/json_skim.hpp>

namespace warroom::webhook {
namespace {

// Bytes a string may hold as they are: printable ASCII but the quote and the backslash.
constexpr std::array<bool, 256> plain_bytes = [] {
  std::array<bool, 256> plain{};
  for (int c = 0x20; c < 0x80; ++c)
    plain[static_cast<std::size_t>(c)] = c != '"' && c != '\\';
  return plain;
}();

// The first byte at or after `p` that a string cannot hold as it is (see plain_bytes), or `end`.
// Sixteen bytes a step where SSE2 is there: a 2 KB title is then a few hundred instructions.
const char* skip_plain(const char* p, const char* end) {
#if defined(__SSE2__)
  const __m128i quote = _mm_set1_epi8('"');
  const __m128i backslash = _mm_set1_epi8('\\');
  const __m128i space = _mm_set1_epi8(0x20);
  while (end - p >= 16) {
    const __m128i chunk = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
    // Signed: bytes from 0x80 up are negative, so "less than a space" also finds them.
    const __m128i stop =
        _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(chunk, quote), _mm_cmpeq_epi8(chunk, backslash)),
                     _mm_cmplt_epi8(chunk, space));
    const int mask = _mm_movemask_epi8(stop);
    if (mask != 0) return p + __builtin_ctz(static_cast<unsigned>(mask));
    p += 16;
  }
#endif
  while (p != end && plain_bytes[static_cast<unsigned char>(*p)])
    ++p;
  return p;
}

bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}
bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

class skimmer {
 public:
  skimmer(std::string_view text, std::size_t max_depth, skim_handler& handler)
      : p_(text.data()),
        end_(text.data() + text.size()),
        max_depth_(max_depth),
        handler_(handler) {}

  skim_status run() {
    // nlohmann skips a UTF-8 byte order mark, and refuses anything else starting with 0xEF.
    if (p_ != end_ && static_cast<unsigned char>(*p_) == 0xEF) {
      if (end_ - p_ < 3 || static_cast<unsigned char>(p_[1]) != 0xBB ||
          static_cast<unsigned char>(p_[2]) != 0xBF)
        return skim_status::malformed;
      p_ += 3;
    }
    skip_space();
    if (!value(at_root, {})) return failure();
    skip_space();
    // nlohmann's lexer reads a NUL byte as the end of the input.
    if (p_ != end_ && *p_ != '\0') return skim_status::malformed;
    return skim_status::ok;
  }

 private:
  static constexpr int at_root = -2;  // the value being read is the whole document

  const char* p_;
  const char* end_;
  std::size_t max_depth_;
  skim_handler& handler_;
  std::size_t depth_ = 0;
  bool too_deep_ = false;
  std::string scratch_;  // unescaped text of the string read last, when it had escapes

  skim_status failure() const { return too_deep_ ? skim_status::too_deep : skim_status::malformed; }

  void skip_space() {
    while (p_ != end_ && is_space(*p_))
      ++p_;
  }

  bool literal(std::string_view word) {
    if (static_cast<std::size_t>(end_ - p_) < word.size() ||
        std::string_view(p_, word.size()) != word)
      return false;
    p_ += word.size();
    return true;
  }

  // Reads the value at p_. `parent` and `key` say whose member it is (parent at_root: none).
  bool value(int parent, std::string_view key) {
    if (p_ == end_) return false;
    skim_handler::plan plan;
    if (parent == at_root) {
      plan.object_role = skim_handler::root_role;
    } else if (parent != skim_handler::ignore) {
      plan = handler_.plan_member(parent, key);
    }
    switch (*p_) {
      case '{':
        if (plan.wanted) handler_.member(parent, key, skim_kind::object, {});
        return object(plan.object_role);
      case '[':
        if (plan.wanted) handler_.member(parent, key, skim_kind::array, {});
        return array();
      case '"': {
        std::string_view text;
        if (!string(plan.wanted, text)) return false;
        if (plan.wanted) handler_.member(parent, key, skim_kind::string, text);
        return true;
      }
      case 't':
        return literal("true") && scalar(plan, parent, key);
      case 'f':
        return literal("false") && scalar(plan, parent, key);
      case 'n':
        return literal("null") && scalar(plan, parent, key);
      default:
        return number() && scalar(plan, parent, key);
    }
  }

  bool scalar(const skim_handler::plan& plan, int parent, std::string_view key) {
    if (plan.wanted) handler_.member(parent, key, skim_kind::other, {});
    return true;
  }

  // An object or array at its opening bracket: `item` reads one member or element (the space
  // before it skipped), after which a comma or the closing bracket must follow.
  template <class Item>
  bool container(char closer, Item item) {
    if (++depth_ > max_depth_) {
      too_deep_ = true;
      return false;
    }
    ++p_;
    skip_space();
    if (p_ == end_ || *p_ != closer) {
      for (;;) {
        if (!item()) return false;
        skip_space();
        if (p_ == end_) return false;
        if (*p_ == closer) break;
        if (*p_ != ',') return false;
        ++p_;
        skip_space();
      }
    }
    ++p_;
    --depth_;
    return true;
  }

  bool object(int role) {
    std::string key_text;  // only for a key with escapes inside a watched object
    return container('}', [&] { return object_member(role, key_text); });
  }

  bool object_member(int role, std::string& key_text) {
    if (p_ == end_ || *p_ != '"') return false;
    std::string_view key;
    const bool watched = role != skim_handler::ignore;
    if (!string(watched, key)) return false;
    if (watched && key.data() == scratch_.data()) key = key_text.assign(key);
    skip_space();
    if (p_ == end_ || *p_ != ':') return false;
    ++p_;
    skip_space();
    return value(role, key);
  }

  bool array() {
    return container(']', [&] { return value(skim_handler::ignore, {}); });
  }

  // Four hex digits after "\u".
  bool hex4(std::uint32_t& out) {
    if (end_ - p_ < 4) return false;
    out = 0;
    for (int i = 0; i < 4; ++i) {
      const int digit = hex_value(p_[i]);
      if (digit < 0) return false;
      out = out * 16 + static_cast<std::uint32_t>(digit);
    }
    p_ += 4;
    return true;
  }

  // One escape after the backslash; appends what it means to `out` when decoding.
  bool escape(bool decode, std::string& out) {
    if (p_ == end_) return false;
    const char c = *p_++;
    char plain = 0;
    switch (c) {
      case '"':
      case '\\':
      case '/':
        plain = c;
        break;
      case 'b':
        plain = '\b';
        break;
      case 'f':
        plain = '\f';
        break;
      case 'n':
        plain = '\n';
        break;
      case 'r':
        plain = '\r';
        break;
      case 't':
        plain = '\t';
        break;
      case 'u': {
        std::uint32_t cp = 0;
        if (!hex4(cp)) return false;
        if (cp >= 0xDC00 && cp <= 0xDFFF) return false;  // a low surrogate alone
        if (cp >= 0xD800 && cp <= 0xDBFF) {
          std::uint32_t low = 0;
          if (end_ - p_ < 2 || p_[0] != '\\' || p_[1] != 'u') return false;
          p_ += 2;
          if (!hex4(low) || low < 0xDC00 || low > 0xDFFF) return false;
          cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
        }
        if (decode) domain::append_utf8(out, cp);
        return true;
      }
      default:
        return false;
    }
    if (decode) out += plain;
    return true;
  }

  // One UTF-8 sequence of two to four bytes starting at p_, well-formed as RFC 3629 defines it.
  bool utf8_sequence() {
    const auto byte = [this](std::ptrdiff_t i) { return static_cast<unsigned char>(p_[i]); };
    const unsigned char lead = byte(0);
    unsigned char low = 0x80, high = 0xBF;
    std::ptrdiff_t length = 0;
    if (lead >= 0xC2 && lead <= 0xDF) {
      length = 2;
    } else if (lead >= 0xE0 && lead <= 0xEF) {
      length = 3;
      if (lead == 0xE0) low = 0xA0;
      if (lead == 0xED) high = 0x9F;
    } else if (lead >= 0xF0 && lead <= 0xF4) {
      length = 4;
      if (lead == 0xF0) low = 0x90;
      if (lead == 0xF4) high = 0x8F;
    } else {
      return false;
    }
    if (end_ - p_ < length) return false;
    if (byte(1) < low || byte(1) > high) return false;
    for (std::ptrdiff_t i = 2; i < length; ++i)
      if (byte(i) < 0x80 || byte(i) > 0xBF) return false;
    p_ += length;
    return true;
  }

  // Reads a string at its opening quote. `text` views it unescaped when `decode` is set: the
  // input itself when it has no escapes, else scratch_.
  bool string(bool decode, std::string_view& text) {
    const char* const start = ++p_;
    bool escaped = false;
    for (;;) {
      const char* const run = p_;
      p_ = skip_plain(p_, end_);
      if (decode && escaped) scratch_.append(run, p_);
      if (p_ == end_) return false;
      const char c = *p_;
      if (c == '"') break;
      if (c == '\\') {
        if (decode && !escaped) scratch_.assign(start, p_);
        escaped = true;
        ++p_;
        if (!escape(decode, scratch_)) return false;
        continue;
      }
      if (static_cast<unsigned char>(c) < 0x20) return false;
      const char* const sequence = p_;
      if (!utf8_sequence()) return false;
      if (decode && escaped) scratch_.append(sequence, p_);
    }
    if (decode) text = escaped ? std::string_view(scratch_) : std::string_view(start, p_ - start);
    ++p_;
    return true;
  }

  // RFC 8259 number; nlohmann also refuses one that overflows a double.
  bool number() {
    const char* const start = p_;
    if (p_ != end_ && *p_ == '-') ++p_;
    if (p_ == end_ || !is_digit(*p_)) return false;
    if (*p_ == '0') {
      ++p_;
    } else {
      while (p_ != end_ && is_digit(*p_))
        ++p_;
    }
    bool integer = true;
    if (p_ != end_ && *p_ == '.') {
      integer = false;
      ++p_;
      if (p_ == end_ || !is_digit(*p_)) return false;
      while (p_ != end_ && is_digit(*p_))
        ++p_;
    }
    if (p_ != end_ && (*p_ == 'e' || *p_ == 'E')) {
      integer = false;
      ++p_;
      if (p_ != end_ && (*p_ == '+' || *p_ == '-')) ++p_;
      if (p_ == end_ || !is_digit(*p_)) return false;
      while (p_ != end_ && is_digit(*p_))
        ++p_;
    }
    const std::size_t length = static_cast<std::size_t>(p_ - start);
    // An integer of up to 18 digits always fits; anything else is read as nlohmann reads a
    // number it cannot hold as an integer: with strtod, refused when not finite.
    if (integer && length <= 18) return true;
    const std::string token(start, length);
    return std::isfinite(std::strtod(token.c_str(), nullptr));
  }
};

}  // namespace

skim_status skim_json(std::string_view text, std::size_t max_depth, skim_handler& handler) {
  return skimmer(text, max_depth, handler).run();
}

}  // namespace warroom::webhook
