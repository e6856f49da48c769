// json_skim: one pass over an untrusted JSON text that accepts exactly what nlohmann::json::parse
// accepts (RFC 8259 grammar, well-formed UTF-8, valid escapes and surrogate pairs, finite
// numbers, an optional UTF-8 BOM, nothing after the value but whitespace or a NUL) and bounds
// nesting depth, without building a document or copying the values nobody asked for. A handler
// names the objects it cares about and the members it wants; everything else is only validated.
// Intake reads the PagerDuty envelope this way (pagerduty_envelope), so a 2 KB title costs one
// validating scan instead of a character-by-character copy. Pure and thread-safe.
#pragma once

#include <cstddef>
#include <string_view>

namespace warroom::webhook {

/// The result of a skim: the text is JSON within the depth bound, or why not.
enum class skim_status { ok, malformed, too_deep };

/// What a member's value turned out to be.
enum class skim_kind { object, array, string, other };

/// Which objects to look inside. `role` is the handler's own number for an object it asked to
/// look inside: `root_role` is the top-level value when that is an object.
class skim_handler {
 public:
  static constexpr int ignore = -1;  // no callbacks for anything inside this value
  static constexpr int root_role = 0;

  /// What to do with the value of member `key` of an object of role `parent` (key unescaped).
  struct plan {
    int object_role = ignore;  // look inside the value, if it is an object, as this role
    bool wanted = false;       // call `member` for it (string values are then unescaped)
  };
  virtual plan plan_member(int parent, std::string_view key) = 0;

  /// A wanted member: `text` is the unescaped string when `kind` is string, else empty. Called
  /// before the members of an object value are visited, and after a scalar has been read.
  virtual void member(int parent, std::string_view key, skim_kind kind, std::string_view text) = 0;

 protected:
  ~skim_handler() = default;
};

/// Validates `text` as nlohmann::json::parse would, with arrays and objects nested at most
/// `max_depth` deep, and calls `handler` for the members it plans to want. The handler's
/// callbacks may have been called when the result is not ok.
skim_status skim_json(std::string_view text, std::size_t max_depth, skim_handler& handler);

}  // namespace warroom::webhook
