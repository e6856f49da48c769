// pagerduty_envelope: the few fields intake needs from a PagerDuty V3 webhook (event id and type,
// the incident it concerns), read in one streaming pass that also bounds nesting depth, without
// building the document. The body is stored verbatim; the job parses it fully, off the answer
// path. Agrees with parse_pagerduty_event + incident_id_of on every body: the same values, or a
// rejection with the same error code (duplicate keys: the last one wins, as in the full parse).
// Pure and thread-safe.
#pragma once

#include <string>
#include <string_view>

#include <warroom/util/result.hpp>
#include <warroom/webhook/pagerduty_event.hpp>

namespace warroom::webhook {

struct pagerduty_envelope {
  std::string id;
  std::string event_type;
  event_kind kind = event_kind::other;
  std::string incident_id;  // empty when the event concerns no incident (ping, service events)
};

/// Errors: malformed_json (not JSON, or deeper than max_json_depth), bad_envelope.
result<pagerduty_envelope> scan_pagerduty_envelope(std::string_view raw_body);

}  // namespace warroom::webhook
