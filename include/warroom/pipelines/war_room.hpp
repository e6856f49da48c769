// war_room: an incident's stored record decoded into the domain's values, and back. The indexed
// columns live in store::incident_record; everything else in its extra_json, whose layout is
// defined here and nowhere else.
#pragma once

#include <optional>
#include <string>

#include <nlohmann/json_fwd.hpp>

#include <warroom/config/routing.hpp>
#include <warroom/domain/card.hpp>
#include <warroom/domain/incident.hpp>
#include <warroom/store/records.hpp>

namespace warroom::pipelines {

struct war_room {
  domain::incident_snapshot incident;
  std::string channel_id;
  std::string channel_name;
  std::string post_id;
  std::string jira_key;
  std::string jira_url;
  std::string acknowledged_by;  // markdown actor text ("@alice")
  std::string resolved_by;
  std::int64_t card_generation = 0;
  /// The route's effective settings, resolved once when the room opened and stored with it, so a
  /// config change never moves an open incident. Absent for rooms opened before routing existed:
  /// read them through job_context::settings_of, which falls back to the top-level settings.
  std::optional<config::room_settings> settings;
};

war_room decode_war_room(const store::incident_record& record);
store::incident_record encode_war_room(const war_room& room, std::int64_t now_ms);
/// The stored route and its settings as the admin API shows them; null when none was stored.
nlohmann::json route_json(const war_room& room);

/// The card input for this war room; tokens are filled by the caller when buttons are shown.
domain::card_input card_input_of(const war_room& room, std::string integration_url);

}  // namespace warroom::pipelines
