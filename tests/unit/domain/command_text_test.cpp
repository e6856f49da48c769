#include <gtest/gtest.h>

#include <warroom/domain/command_text.hpp>

namespace warroom::domain::command_text_test {
namespace {

incident_snapshot incident(std::string status) {
  incident_snapshot i;
  i.number = 42;
  i.title = "Checkout @channel down";
  i.status = std::move(status);
  i.priority = "P2";
  i.html_url = "https://acme.pagerduty.com/incidents/Q1";
  i.created_at_ms = 1'000'000;
  return i;
}

bool has(const std::string& text, std::string_view part) {
  return text.find(part) != std::string::npos;
}

TEST(StatusSummary, SaysStatusWhoJiraAndAge) {
  const auto open = status_summary(incident("acknowledged"), "@alice", "OPS-7",
                                   "https://jira/browse/OPS-7", 1'000'000 + 65'000);
  EXPECT_TRUE(has(open, "INC #42")) << open;
  EXPECT_TRUE(has(open, "**Acknowledged** by @alice")) << open;
  EXPECT_TRUE(has(open, "[OPS-7](https://jira/browse/OPS-7)")) << open;
  EXPECT_TRUE(has(open, "open for 1m 05s")) << open;
  EXPECT_TRUE(has(open, "priority P2")) << open;
  EXPECT_FALSE(has(open, "@channel")) << open;

  auto done = incident("resolved");
  done.resolved_at_ms = 1'000'000 + 45'000;
  const auto closed = status_summary(done, "", "", "", 9'999'999'999);
  EXPECT_TRUE(has(closed, "**Resolved**")) << closed;
  EXPECT_TRUE(has(closed, "Jira none")) << closed;
  EXPECT_TRUE(has(closed, "lasted 45s")) << closed;
}

TEST(CommandMessages, NameTheActorAndTheFallback) {
  const actor alice{"alice", ""};
  EXPECT_TRUE(has(command_note_message(alice, "db is full", ""), "> db is full"));
  EXPECT_FALSE(has(command_note_message(alice, "x", ""), "on behalf"));
  EXPECT_TRUE(has(command_note_message(alice, "x", "warroom@example.com"), "on behalf of @alice"));

  const auto added = members_added_message(alice, {"bob", "carol"}, {"nobody"});
  EXPECT_TRUE(has(added, "@alice added @bob, @carol.")) << added;
  EXPECT_TRUE(has(added, "No Mattermost user named nobody")) << added;

  const auto paged = responder_requested_message(alice, actor{"dave", ""}, "pd@example.com");
  EXPECT_TRUE(has(paged, "@dave")) << paged;
  EXPECT_TRUE(has(paged, "on behalf of @alice")) << paged;
  EXPECT_TRUE(has(paged, "pd@example.com")) << paged;

  const auto prio = priority_set_message(alice, "P1", "Highest", "");
  EXPECT_TRUE(has(prio, "**P1**")) << prio;
  EXPECT_TRUE(has(prio, "Jira: Highest")) << prio;
  EXPECT_TRUE(has(prio, "by @alice")) << prio;
}

}  // namespace
}  // namespace warroom::domain::command_text_test
