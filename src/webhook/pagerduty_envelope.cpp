#include <optional>
#include <string>

#include <warroom/webhook/json_input.hpp>
#include <warroom/webhook/json_skim.hpp>
#include <warroom/webhook/pagerduty_envelope.hpp>

namespace warroom::webhook {
namespace {

// The objects of the envelope's spine, as skim roles; the handler ignores every other object.
enum class role { root = skim_handler::root_role, event, data, incident };

// The spine's fields as the full parse would read them: a later duplicate key replaces an
// earlier value entirely, and a value of the wrong type reads as absent.
struct fields {
  bool event_object = false;
  std::optional<std::string> id, event_type;
  bool data_object = false;
  std::string data_type, data_id;
  bool incident_object = false;
  std::optional<std::string> incident_id;

  void reset_event() {
    id.reset();
    event_type.reset();
    data_object = false;
    reset_data();
  }
  void reset_data() {
    data_type.clear();
    data_id.clear();
    incident_object = false;
    incident_id.reset();
  }
};

// Reads the spine into `fields` as the full parse reads it: a member naming a spine object
// resets what an earlier one of the same name set, whatever its type.
class envelope_handler final : public skim_handler {
 public:
  fields found;

  plan plan_member(int parent, std::string_view key) override {
    switch (static_cast<role>(parent)) {
      case role::root:
        if (key == "event") return {static_cast<int>(role::event), true};
        break;
      case role::event:
        if (key == "data") return {static_cast<int>(role::data), true};
        if (key == "id" || key == "event_type") return {ignore, true};
        break;
      case role::data:
        if (key == "incident") return {static_cast<int>(role::incident), true};
        if (key == "id" || key == "type") return {ignore, true};
        break;
      case role::incident:
        if (key == "id") return {ignore, true};
        break;
      default:
        break;
    }
    return {};
  }

  void member(int parent, std::string_view key, skim_kind kind, std::string_view text) override {
    const bool object = kind == skim_kind::object;
    std::optional<std::string> string;
    if (kind == skim_kind::string) string.emplace(text);
    switch (static_cast<role>(parent)) {
      case role::root:
        found.event_object = object;
        found.reset_event();
        break;
      case role::event:
        if (key == "data") {
          found.data_object = object;
          found.reset_data();
        } else if (key == "id") {
          found.id = std::move(string);
        } else {
          found.event_type = std::move(string);
        }
        break;
      case role::data:
        if (key == "incident") {
          found.incident_object = object;
          found.incident_id.reset();
        } else if (key == "id") {
          found.data_id = string.value_or("");
        } else {
          found.data_type = string.value_or("");
        }
        break;
      case role::incident:
        found.incident_id = std::move(string);
        break;
      default:
        break;
    }
  }
};

error envelope_error(std::string_view what) {
  return make_error(errc::bad_envelope, "not a PagerDuty V3 webhook: " + std::string(what));
}

std::string incident_of(const fields& f) {
  if (f.data_type == "incident") return f.data_id;
  if (f.data_type == "incident_note") return f.incident_object ? f.incident_id.value_or("") : "";
  if (!f.event_type->starts_with("incident.")) return "";
  if (f.incident_object && f.incident_id) return *f.incident_id;
  return f.data_id;
}

}  // namespace

result<pagerduty_envelope> scan_pagerduty_envelope(std::string_view raw_body) {
  envelope_handler handler;
  const skim_status status = skim_json(raw_body, max_json_depth, handler);
  if (status == skim_status::too_deep)
    return make_error(errc::malformed_json,
                      "JSON nests deeper than " + std::to_string(max_json_depth) + " levels");
  if (status != skim_status::ok) return make_error(errc::malformed_json, "body is not valid JSON");
  const fields& f = handler.found;
  if (!f.event_object) return envelope_error("no \"event\" object");
  if (!f.id || f.id->empty()) return envelope_error("no string \"event.id\"");
  if (!f.event_type || f.event_type->empty())
    return envelope_error("no string \"event.event_type\"");
  if (!f.data_object) return envelope_error("\"event.data\" is not an object");
  if (f.data_type == "incident" && f.data_id.empty())
    return envelope_error("incident data has no string \"id\"");
  return pagerduty_envelope{*f.id, *f.event_type, classify(*f.event_type), incident_of(f)};
}

}  // namespace warroom::webhook
