#include <vector>

#include <nlohmann/json.hpp>

#include <warroom/webhook/json_input.hpp>
#include <warroom/webhook/pagerduty_envelope.hpp>

namespace warroom::webhook {
namespace {

using json = nlohmann::json;

// What a container in the body is to us; everything but the envelope's spine is `other`.
enum class role { root, event, data, incident, other };

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

class envelope_sax final : public nlohmann::json_sax<json> {
 public:
  fields found;
  bool too_deep = false;

  bool null() override { return scalar(nullptr); }
  bool boolean(bool) override { return scalar(nullptr); }
  bool number_integer(number_integer_t) override { return scalar(nullptr); }
  bool number_unsigned(number_unsigned_t) override { return scalar(nullptr); }
  bool number_float(number_float_t, const string_t&) override { return scalar(nullptr); }
  bool string(string_t& value) override { return scalar(&value); }
  bool binary(binary_t&) override { return scalar(nullptr); }

  bool start_object(std::size_t) override { return open(true); }
  bool start_array(std::size_t) override { return open(false); }
  bool end_object() override { return close(); }
  bool end_array() override { return close(); }
  bool key(string_t& name) override {
    key_ = std::move(name);
    return true;
  }
  bool parse_error(std::size_t, const std::string&, const nlohmann::detail::exception&) override {
    return false;
  }

 private:
  struct frame {
    role what;
    bool object;
  };
  std::vector<frame> stack_;
  std::string key_;

  // The role of a value about to start, from its container and key; `object` says whether the
  // value is an object, which a spine member must be to count.
  role member_role(bool object) {
    if (stack_.empty()) return object ? role::root : role::other;
    const frame& parent = stack_.back();
    if (!parent.object) return role::other;
    if (parent.what == role::root && key_ == "event") {
      found.event_object = object;
      found.reset_event();
      return object ? role::event : role::other;
    }
    if (parent.what == role::event && key_ == "data") {
      found.data_object = object;
      found.reset_data();
      return object ? role::data : role::other;
    }
    if (parent.what == role::data && key_ == "incident") {
      found.incident_object = object;
      found.incident_id.reset();
      return object ? role::incident : role::other;
    }
    return role::other;
  }

  bool open(bool object) {
    if (stack_.size() + 1 > max_json_depth) {
      too_deep = true;
      return false;
    }
    const role what = member_role(object);
    assign(std::nullopt);  // a field we read, given an object or array: of the wrong type
    stack_.push_back({what, object});
    return true;
  }
  bool close() {
    stack_.pop_back();
    return true;
  }

  bool scalar(const std::string* text) {
    member_role(false);
    assign(text != nullptr ? std::optional<std::string>(*text) : std::nullopt);
    return true;
  }

  // Writes the value of the current key to the field it is, if it is one (nullopt: absent).
  void assign(std::optional<std::string> value) {
    if (stack_.empty() || !stack_.back().object) return;
    switch (stack_.back().what) {
      case role::event:
        if (key_ == "id") found.id = value;
        if (key_ == "event_type") found.event_type = value;
        break;
      case role::data:
        if (key_ == "type") found.data_type = value.value_or("");
        if (key_ == "id") found.data_id = value.value_or("");
        break;
      case role::incident:
        if (key_ == "id") found.incident_id = value;
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
  envelope_sax sax;
  const bool parsed = json::sax_parse(raw_body.begin(), raw_body.end(), &sax);
  if (sax.too_deep)
    return make_error(errc::malformed_json,
                      "JSON nests deeper than " + std::to_string(max_json_depth) + " levels");
  if (!parsed) return make_error(errc::malformed_json, "body is not valid JSON");
  const fields& f = sax.found;
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
