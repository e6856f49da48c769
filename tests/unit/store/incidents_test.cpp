#include <gtest/gtest.h>

#include <warroom/store/incidents.hpp>

#include "backend_fixture.hpp"

namespace warroom::store {
namespace {

using IncidentsTest = testing::store_test;

incident_record sample(std::string id, std::int64_t updated_at_ms) {
  incident_record r;
  r.id = std::move(id);
  r.number = 42;
  r.title = "Database on fire";
  r.status = "triggered";
  r.channel_id = "ch1";
  r.channel_name = "inc-42-database-on-fire";
  r.post_id = "post1";
  r.jira_key = "OPS-7";
  r.card_generation = 3;
  r.created_at_ms = 100;
  r.acked_at_ms = 200;
  r.extra_json = R"({"service":"db"})";
  r.updated_at_ms = updated_at_ms;
  return r;
}

TEST_P(IncidentsTest, UpsertReplacesTheWholeRecord) {
  EXPECT_FALSE(get_incident(*db_, "P1")->has_value());
  auto record = sample("P1", 300);
  ASSERT_TRUE(upsert_incident(*db_, record));
  EXPECT_EQ(**get_incident(*db_, "P1"), record);
  record.status = "resolved";
  record.resolved_at_ms = 400;
  record.post_id.clear();
  ASSERT_TRUE(upsert_incident(*db_, record));
  EXPECT_EQ(**get_incident(*db_, "P1"), record);
  EXPECT_EQ(list_incidents(*db_, 10)->size(), 1u);
}

TEST_P(IncidentsTest, FindsTheWarRoomOfAChannel) {
  EXPECT_FALSE(find_incident_by_channel(*db_, "ch1")->has_value());
  auto older = sample("P1", 10);
  auto newer = sample("P2", 20);
  auto other = sample("P3", 30);
  other.channel_id = "ch2";
  ASSERT_TRUE(upsert_incident(*db_, older));
  ASSERT_TRUE(upsert_incident(*db_, newer));
  ASSERT_TRUE(upsert_incident(*db_, other));
  EXPECT_EQ((*find_incident_by_channel(*db_, "ch1"))->id, "P2");
  EXPECT_EQ((*find_incident_by_channel(*db_, "ch2"))->id, "P3");
  EXPECT_FALSE(find_incident_by_channel(*db_, "")->has_value());
  EXPECT_FALSE(find_incident_by_channel(*db_, "nope")->has_value());
}

TEST_P(IncidentsTest, ListsMostRecentlyUpdatedFirst) {
  ASSERT_TRUE(upsert_incident(*db_, sample("P1", 10)));
  ASSERT_TRUE(upsert_incident(*db_, sample("P2", 30)));
  ASSERT_TRUE(upsert_incident(*db_, sample("P3", 20)));
  auto listed = list_incidents(*db_, 2);
  ASSERT_TRUE(listed);
  ASSERT_EQ(listed->size(), 2u);
  EXPECT_EQ((*listed)[0].id, "P2");
  EXPECT_EQ((*listed)[1].id, "P3");
}

TEST_P(IncidentsTest, CountsOpenWarRoomsByStatus) {
  EXPECT_TRUE(count_open_incidents(*db_)->empty());
  const std::vector<std::pair<std::string, std::string>> rooms = {{"P1", "triggered"},
                                                                  {"P2", "acknowledged"},
                                                                  {"P3", "resolved"},
                                                                  {"P4", "triggered"},
                                                                  {"P5", "resolved"}};
  for (const auto& [id, status] : rooms) {
    auto record = sample(id, 300);
    record.status = status;
    ASSERT_TRUE(upsert_incident(*db_, record));
  }
  EXPECT_EQ(*count_open_incidents(*db_),
            (std::map<std::string, std::int64_t>{{"acknowledged", 1}, {"triggered", 2}}));
}

TEST_P(IncidentsTest, StepsAreCheckpointedPerOwner) {
  ASSERT_TRUE(save_step(*db_, "P1", "create_channel", R"({"id":"ch1"})", 1));
  ASSERT_TRUE(save_step(*db_, "P1", "create_issue", "OPS-7", 2));
  ASSERT_TRUE(save_step(*db_, "P2", "create_issue", "OPS-8", 2));
  ASSERT_TRUE(save_step(*db_, "P1", "create_issue", "OPS-9", 3));
  auto steps = load_steps(*db_, "P1");
  ASSERT_TRUE(steps);
  EXPECT_EQ(*steps, (std::map<std::string, std::string>{{"create_channel", R"({"id":"ch1"})"},
                                                        {"create_issue", "OPS-9"}}));
  EXPECT_TRUE(load_steps(*db_, "P3")->empty());
}

TEST_P(IncidentsTest, AuditKeepsInsertionOrder) {
  const audit_entry first{1, "P1", "alice", "acknowledge", "mattermost", "button"};
  const audit_entry second{2, "P1", "pagerduty", "resolve", "pagerduty", "webhook"};
  ASSERT_TRUE(append_audit(*db_, first));
  ASSERT_TRUE(append_audit(*db_, audit_entry{3, "P2", "bob", "resolve", "mattermost", ""}));
  ASSERT_TRUE(append_audit(*db_, second));
  auto lines = list_audit(*db_, "P1", 10);
  ASSERT_TRUE(lines);
  EXPECT_EQ(*lines, (std::vector<audit_entry>{first, second}));
}

WARROOM_STORE_CONFORMANCE(IncidentsTest);

}  // namespace
}  // namespace warroom::store
