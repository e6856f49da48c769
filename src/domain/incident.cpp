#include <array>
#include <cctype>
#include <cstdio>

#include <warroom/domain/incident.hpp>

namespace warroom::domain {
namespace {

struct status_names {
  std::string_view word;
  std::string_view label;
};

// Indexed by incident_status.
constexpr std::array<status_names, 3> names = {
    {{"triggered", "Triggered"}, {"acknowledged", "Acknowledged"}, {"resolved", "Resolved"}}};

const status_names& names_of(incident_status status) {
  return names.at(static_cast<std::size_t>(status));
}

std::optional<incident_status> next_status(incident_status status, incident_event event) {
  using s = incident_status;
  using e = incident_event;
  switch (status) {
    case s::triggered:
      if (event == e::acknowledge) return s::acknowledged;
      if (event == e::resolve) return s::resolved;
      break;
    case s::acknowledged:
      if (event == e::unacknowledge) return s::triggered;
      if (event == e::resolve) return s::resolved;
      break;
    case s::resolved:
      if (event == e::reopen) return s::triggered;
      break;
  }
  return std::nullopt;
}

std::string two_units(std::int64_t major, char major_unit, std::int64_t minor, char minor_unit) {
  char buffer[48];
  std::snprintf(buffer, sizeof buffer, "%lld%c %02lld%c", static_cast<long long>(major), major_unit,
                static_cast<long long>(minor), minor_unit);
  return buffer;
}

std::optional<std::int64_t> since_created(const incident_snapshot& incident, std::int64_t at_ms) {
  if (incident.created_at_ms == 0 || at_ms == 0) return std::nullopt;
  return at_ms - incident.created_at_ms;
}

}  // namespace

transition_result transition(incident_status status, incident_event event) {
  if (const auto next = next_status(status, event)) return {*next, true};
  return {status, false};
}

std::string_view to_string(incident_status status) {
  return names_of(status).word;
}

std::string_view label(incident_status status) {
  return names_of(status).label;
}

std::optional<incident_status> parse_status(std::string_view text) {
  std::string lower(text);
  for (char& c : lower)
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  for (auto status :
       {incident_status::triggered, incident_status::acknowledged, incident_status::resolved}) {
    if (lower == to_string(status)) return status;
  }
  return std::nullopt;
}

incident_status status_of(const incident_snapshot& incident) {
  return parse_status(incident.status).value_or(incident_status::triggered);
}

std::string format_duration(std::int64_t ms) {
  const std::int64_t seconds = ms > 0 ? ms / 1000 : 0;
  constexpr std::int64_t minute = 60, hour = 60 * minute, day = 24 * hour;
  if (seconds < minute) return std::to_string(seconds) + "s";
  if (seconds < hour) return two_units(seconds / minute, 'm', seconds % minute, 's');
  if (seconds < day) return two_units(seconds / hour, 'h', seconds % hour / minute, 'm');
  return two_units(seconds / day, 'd', seconds % day / hour, 'h');
}

std::optional<std::int64_t> time_to_acknowledge_ms(const incident_snapshot& incident) {
  return since_created(incident, incident.acknowledged_at_ms);
}

std::optional<std::int64_t> time_to_resolve_ms(const incident_snapshot& incident) {
  return since_created(incident, incident.resolved_at_ms);
}

}  // namespace warroom::domain
