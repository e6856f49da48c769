#include "journal.hpp"

#include <gtest/gtest.h>

namespace warroom::sim {
namespace {

journal_entry entry(std::string service, std::vector<api::header> headers = {}) {
  return journal_entry{0,
                       std::move(service),
                       "PUT",
                       "/incidents/Q1?x=1",
                       std::move(headers),
                       R"({"incident":{"status":"acknowledged"}})",
                       1700000000000,
                       200,
                       ""};
}

TEST(Journal, MasksCredentialsAndKeepsOtherHeaders) {
  journal j;
  j.record(entry("pagerduty", {{"Authorization", "Token token=s3cr3t-token"},
                               {"Cookie", "MMAUTHTOKEN=s3cr3t-cookie"},
                               {"X-PagerDuty-Signature", "v1=s3cr3t-sig"},
                               {"From", "alice@example.com"}}));
  const auto dump = j.to_json("", 0).dump();
  EXPECT_EQ(dump.find("s3cr3t"), std::string::npos) << dump;
  const auto headers = j.to_json("", 0)["requests"][0]["headers"];
  EXPECT_EQ(headers["Authorization"], "<redacted>");
  EXPECT_EQ(headers["From"], "alice@example.com");
}

TEST(Journal, SequenceNumbersSurviveClearAndFilterBySinceAndService) {
  journal j;
  EXPECT_EQ(j.record(entry("pagerduty")), 1u);
  EXPECT_EQ(j.record(entry("jira")), 2u);
  j.clear();
  EXPECT_EQ(j.record(entry("pagerduty")), 3u);
  EXPECT_EQ(j.record(entry("jira")), 4u);
  const auto all = j.to_json("", 0);
  ASSERT_EQ(all["requests"].size(), 2u);
  EXPECT_EQ(all["last_seq"], 4);
  EXPECT_EQ(j.to_json("jira", 0)["requests"].size(), 1u);
  EXPECT_EQ(j.to_json("", 3)["requests"].size(), 1u);
  EXPECT_EQ(j.to_json("", 3)["requests"][0]["seq"], 4);
}

TEST(Journal, EntryJsonCarriesPathQueryBodyAndParsedJson) {
  journal j;
  j.record(entry("pagerduty"));
  const auto e = j.to_json("", 0)["requests"][0];
  EXPECT_EQ(e["method"], "PUT");
  EXPECT_EQ(e["target"], "/incidents/Q1?x=1");
  EXPECT_EQ(e["path"], "/incidents/Q1");
  EXPECT_EQ(e["status"], 200);
  EXPECT_EQ(e["time_ms"], 1700000000000);
  EXPECT_EQ(e["json"]["incident"]["status"], "acknowledged");
}

TEST(Journal, KeepsOnlyTheNewestEntriesBeyondCapacity) {
  journal j(3);
  for (int i = 0; i < 5; ++i)
    j.record(entry("pagerduty"));
  const auto list = j.to_json("", 0)["requests"];
  ASSERT_EQ(list.size(), 3u);
  EXPECT_EQ(list[0]["seq"], 3);
}

}  // namespace
}  // namespace warroom::sim
