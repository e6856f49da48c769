// war_room: an incident's stored record decoded into the domain's values, and back. The indexed
// columns live in store::incident_record; everything else in its extra_json, whose layout is
// defined here and nowhere else.
#pragma once

#include <string>

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
};

war_room decode_war_room(const store::incident_record& record);
store::incident_record encode_war_room(const war_room& room, std::int64_t now_ms);

/// The card input for this war room; tokens are filled by the caller when buttons are shown.
domain::card_input card_input_of(const war_room& room, std::string integration_url);

}  // namespace warroom::pipelines
