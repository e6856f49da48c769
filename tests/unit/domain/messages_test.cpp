#include <string>
#include <vector>

#include <gtest/gtest.h>

#include <warroom/domain/messages.hpp>
#include <warroom/domain/text.hpp>

namespace warroom::domain::messages_test {
namespace {

const std::string zwsp = "\xE2\x80\x8B";

incident_snapshot sample() {
  incident_snapshot incident;
  incident.id = "Q2CKYRLH85UNN4";
  incident.number = 37;
  incident.title = "Database is on fire";
  incident.status = "triggered";
  incident.html_url = "https://acme.pagerduty.com/incidents/Q2CKYRLH85UNN4";
  incident.created_at_ms = 1'700'000'000'000;
  return incident;
}

TEST(Messages, ActorTextPrefersTheMattermostUsername) {
  const std::vector<std::pair<actor, std::string>> cases = {
      {{"alice", "Alice Smith"}, "@alice"},
      {{"", "Alice Smith"}, "Alice Smith"},
      {{"Not A Username", "Bob"}, "Bob"},
      {{"", "@channel_ops"}, "@" + zwsp + "channel\\_ops"},
      {{"", ""}, "someone"},
      {{"j.doe-2_x", ""}, "@j.doe-2_x"},
  };
  for (const auto& [who, text] : cases)
    EXPECT_EQ(actor_text(who), text) << who.name;
}

TEST(Messages, WarRoomOpened) {
  EXPECT_EQ(war_room_opened(sample(), "OPS-1", "https://acme.atlassian.net/browse/OPS-1", {}),
            ":rotating_light: War room for [PagerDuty incident "
            "#37](https://acme.pagerduty.com/incidents/Q2CKYRLH85UNN4): Database is on fire\n"
            "Jira: [OPS-1](https://acme.atlassian.net/browse/OPS-1)");
  EXPECT_EQ(war_room_opened(sample(), "", "", {"carol@example.com", "@here Dave"}),
            ":rotating_light: War room for [PagerDuty incident "
            "#37](https://acme.pagerduty.com/incidents/Q2CKYRLH85UNN4): Database is on fire\n"
            "Could not invite carol@example.com, @" +
                zwsp + "here Dave (no Mattermost account or not on the team).");
}

TEST(Messages, UninvitedRespondersShareOneLine) {
  std::vector<std::string> names;
  for (int i = 0; i < 25; ++i)
    names.push_back("user" + std::to_string(i) + "\nx");
  const std::string text = war_room_opened(sample(), "", "", names);
  const std::string last_line = text.substr(text.rfind('\n') + 1);
  EXPECT_EQ(last_line.rfind("Could not invite user0 x, user1 x, ", 0), 0u) << last_line;
  EXPECT_NE(last_line.find("user19 x and 5 more (no Mattermost"), std::string::npos) << last_line;
  EXPECT_EQ(last_line.find("user20"), std::string::npos);
}

TEST(Messages, AcknowledgedSaysOnWhoseBehalf) {
  EXPECT_EQ(acknowledged_message({"alice", ""}), ":eyes: Acknowledged by @alice.");
  EXPECT_EQ(acknowledged_message({"", "Alice Smith"}), ":eyes: Acknowledged by Alice Smith.");
  EXPECT_EQ(acknowledged_message({"alice", ""}, "warroom@example.com"),
            ":eyes: Acknowledged on behalf of @alice (PagerDuty has no user with their email, so "
            "the change was made as `warroom@example.com`).");
}

TEST(Messages, ResolvedCarriesBothDurations) {
  incident_snapshot incident = sample();
  incident.acknowledged_at_ms = incident.created_at_ms + 252'000;
  incident.resolved_at_ms = incident.created_at_ms + 3'780'000;
  EXPECT_EQ(resolved_message(incident, {"bob", ""}),
            ":white_check_mark: Resolved by @bob.\n"
            "Time to acknowledge: 4m 12s \xC2\xB7 time to resolve: 1h 03m");
  incident.acknowledged_at_ms = 0;
  EXPECT_EQ(resolved_message(incident, {"", "PagerDuty"}, "warroom@example.com"),
            ":white_check_mark: Resolved on behalf of PagerDuty (PagerDuty has no user with their "
            "email, so the change was made as `warroom@example.com`).\n"
            "Time to acknowledge: not acknowledged \xC2\xB7 time to resolve: 1h 03m");
}

TEST(Messages, ReassignedAndPriority) {
  EXPECT_EQ(reassigned_message({{"carol", ""}, {"", "Dave"}}),
            ":busts_in_silhouette: Reassigned to @carol, Dave.");
  EXPECT_EQ(reassigned_message({}), ":busts_in_silhouette: Unassigned.");
  EXPECT_EQ(priority_changed_message("P1"), ":small_red_triangle: Priority changed to **P1**.");
  EXPECT_EQ(priority_changed_message(""), ":small_red_triangle: Priority removed.");
  EXPECT_EQ(priority_changed_message("**P1** @all"),
            ":small_red_triangle: Priority changed to **\\*\\*P1\\*\\* @" + zwsp + "all**.");
}

TEST(Messages, NoteIsQuotedLineByLineWithoutMentions) {
  EXPECT_EQ(note_added_message({"", "Ben"}, "Rolled back.\r\n\n@channel see <!here>\n  indented"),
            ":memo: Note from Ben:\n> Rolled back.\n>\n> @" + zwsp + "channel see <" + zwsp +
                "!here>\n>   indented");
  EXPECT_EQ(note_added_message({"ben", ""}, ""), ":memo: Note from @ben:\n> *(empty note)*");
}

TEST(Messages, LongNotesAreCut) {
  const std::string note(20'000, 'n');
  const std::string text = note_added_message({"ben", ""}, note);
  EXPECT_LE(rune_count(text), 16383u);
  EXPECT_LE(rune_count(text), 4100u);
  EXPECT_EQ(text.substr(text.size() - 3), "\xE2\x80\xA6");
}

TEST(Messages, ReopenedAndUnacknowledged) {
  EXPECT_EQ(reopened_message({}),
            ":leftwards_arrow_with_hook: Incident reopened; the buttons are back.");
  EXPECT_EQ(reopened_message({"dave", ""}),
            ":leftwards_arrow_with_hook: Incident reopened by @dave; the buttons are back.");
  EXPECT_EQ(unacknowledged_message(),
            ":hourglass: No longer acknowledged: the incident is triggered again.");
}

}  // namespace
}  // namespace warroom::domain::messages_test
