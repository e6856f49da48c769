#include <vector>

#include <gtest/gtest.h>

#include <warroom/domain/incident.hpp>

namespace warroom::domain::incident_test {
namespace {

using s = incident_status;
using e = incident_event;

struct transition_case {
  s from;
  e event;
  s to;
  bool changed;
};

TEST(Incident, TransitionFollowsTheStateMachine) {
  const std::vector<transition_case> cases = {
      {s::triggered, e::acknowledge, s::acknowledged, true},
      {s::triggered, e::resolve, s::resolved, true},
      {s::triggered, e::trigger, s::triggered, false},
      {s::triggered, e::unacknowledge, s::triggered, false},
      {s::triggered, e::reopen, s::triggered, false},
      {s::acknowledged, e::resolve, s::resolved, true},
      {s::acknowledged, e::unacknowledge, s::triggered, true},
      {s::acknowledged, e::acknowledge, s::acknowledged, false},  // echo of our own ack
      {s::acknowledged, e::trigger, s::acknowledged, false},
      {s::acknowledged, e::reopen, s::acknowledged, false},
      {s::resolved, e::reopen, s::triggered, true},
      {s::resolved, e::resolve, s::resolved, false},      // echo of our own resolve
      {s::resolved, e::acknowledge, s::resolved, false},  // late, out of order
      {s::resolved, e::unacknowledge, s::resolved, false},
      {s::resolved, e::trigger, s::resolved, false},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(transition(c.from, c.event), (transition_result{c.to, c.changed}))
        << to_string(c.from) << " + event " << static_cast<int>(c.event);
  }
}

TEST(Incident, ParseStatusAcceptsPagerDutyWords) {
  EXPECT_EQ(parse_status("triggered"), s::triggered);
  EXPECT_EQ(parse_status("Acknowledged"), s::acknowledged);
  EXPECT_EQ(parse_status("RESOLVED"), s::resolved);
  EXPECT_EQ(parse_status("snoozed"), std::nullopt);
  EXPECT_EQ(parse_status(""), std::nullopt);
  for (auto status : {s::triggered, s::acknowledged, s::resolved})
    EXPECT_EQ(parse_status(to_string(status)), status);
}

TEST(Incident, UnknownStatusCountsAsTriggered) {
  incident_snapshot incident;
  incident.status = "weird";
  EXPECT_EQ(status_of(incident), s::triggered);
  incident.status = "resolved";
  EXPECT_EQ(status_of(incident), s::resolved);
  EXPECT_EQ(label(s::acknowledged), "Acknowledged");
}

TEST(Incident, FormatDurationUsesTwoUnits) {
  const std::vector<std::pair<std::int64_t, std::string>> cases = {
      {-5'000, "0s"},
      {0, "0s"},
      {999, "0s"},
      {45'000, "45s"},
      {59'999, "59s"},
      {60'000, "1m 00s"},
      {252'000, "4m 12s"},
      {3'599'000, "59m 59s"},
      {3'600'000, "1h 00m"},
      {3'780'000, "1h 03m"},
      {86'399'000, "23h 59m"},
      {86'400'000 + 5 * 3'600'000, "1d 05h"},
      {40LL * 86'400'000, "40d 00h"},
  };
  for (const auto& [ms, text] : cases)
    EXPECT_EQ(format_duration(ms), text) << ms;
}

TEST(Incident, TimesAreKnownOnlyWhenBothTimestampsAre) {
  incident_snapshot incident;
  EXPECT_EQ(time_to_acknowledge_ms(incident), std::nullopt);
  incident.created_at_ms = 1'000'000;
  EXPECT_EQ(time_to_acknowledge_ms(incident), std::nullopt);
  EXPECT_EQ(time_to_resolve_ms(incident), std::nullopt);
  incident.acknowledged_at_ms = 1'252'000;
  incident.resolved_at_ms = 4'780'000;
  EXPECT_EQ(time_to_acknowledge_ms(incident), 252'000);
  EXPECT_EQ(time_to_resolve_ms(incident), 3'780'000);
}

}  // namespace
}  // namespace warroom::domain::incident_test
