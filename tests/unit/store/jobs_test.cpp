#include <map>
#include <set>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include <warroom/store/jobs.hpp>

#include "backend_fixture.hpp"

namespace warroom::store {
namespace {

using testing::make_delivery;

class JobsTest : public testing::store_test {
 protected:
  std::int64_t enqueue(const std::string& incident, std::int64_t at_ms = 0) {
    auto id = enqueue_job(*db_, "event", incident, "{}", at_ms);
    EXPECT_TRUE(id) << id.error().message;
    return id ? *id : 0;
  }

  std::vector<job> claim(std::int64_t now_ms, int limit = 100) {
    auto claimed = claim_ready_jobs(*db_, now_ms, limit);
    EXPECT_TRUE(claimed) << claimed.error().message;
    return claimed ? *claimed : std::vector<job>{};
  }

  job_state state_of(std::int64_t id) { return (*get_job(*db_, id))->state; }
};

TEST_P(JobsTest, EachIncidentInArrivalOrderOneAtATime) {
  std::vector<delivery> batch;
  for (int i = 0; i < 100; ++i) {
    batch.push_back(make_delivery("d" + std::to_string(i), "", "P" + std::to_string(i % 10)));
    batch.back().payload = std::to_string(i);
  }
  ASSERT_TRUE(db_->ingest_batch(batch));

  std::map<std::string, std::vector<int>> order;
  int rounds = 0;
  for (auto jobs = claim(1000); !jobs.empty(); jobs = claim(1000), ++rounds) {
    // Different incidents run together, never two jobs of one incident.
    std::set<std::string> incidents;
    for (const auto& j : jobs) {
      EXPECT_TRUE(incidents.insert(j.incident_id).second) << j.incident_id;
      EXPECT_EQ(j.state, job_state::running);
      EXPECT_EQ(j.attempts, 1);
    }
    EXPECT_EQ(jobs.size(), 10u);
    EXPECT_TRUE(claim(1000).empty()) << "an incident with a running job must wait";
    for (const auto& j : jobs) {
      order[j.incident_id].push_back(std::stoi(j.payload));
      ASSERT_TRUE(complete_job(*db_, j.id, 1000));
    }
  }
  EXPECT_EQ(rounds, 10);
  ASSERT_EQ(order.size(), 10u);
  for (const auto& [incident, payloads] : order) {
    ASSERT_EQ(payloads.size(), 10u) << incident;
    for (std::size_t k = 0; k < payloads.size(); ++k) {
      EXPECT_EQ(payloads[k], std::stoi(incident.substr(1)) + static_cast<int>(k) * 10) << incident;
    }
  }
  EXPECT_EQ(count_jobs(*db_)->done, 100);
}

TEST_P(JobsTest, JobsWithoutIncidentRunInParallel) {
  enqueue("");
  enqueue("");
  enqueue("");
  EXPECT_EQ(claim(0).size(), 3u);
}

TEST_P(JobsTest, ClaimHonoursLimitAndDueTime) {
  enqueue("A", 0);
  enqueue("B", 500);
  enqueue("C", 0);
  auto first = claim(100, 1);
  ASSERT_EQ(first.size(), 1u);
  EXPECT_EQ(first[0].incident_id, "A");
  auto second = claim(100);
  ASSERT_EQ(second.size(), 1u);
  EXPECT_EQ(second[0].incident_id, "C");
  EXPECT_EQ(claim(500).size(), 1u);
}

TEST_P(JobsTest, ScheduledJobsAreInsertedOnceAndClaimedWhenDue) {
  const std::vector<job_spec> jobs = {{"remind", "P1/reminders", R"({"n":1})", 5'000},
                                      {"remind", "P1/reminders", R"({"n":2})", 9'000}};
  auto first = schedule_jobs_once(*db_, "P1", "reminders.scheduled", jobs, 1'000);
  ASSERT_TRUE(first) << first.error().message;
  EXPECT_TRUE(*first);
  // A second attempt (a rerun after a crash) inserts nothing.
  auto second = schedule_jobs_once(*db_, "P1", "reminders.scheduled", jobs, 2'000);
  ASSERT_TRUE(second);
  EXPECT_FALSE(*second);
  EXPECT_EQ((*count_jobs(*db_)).queued, 2);
  EXPECT_TRUE(claim(4'999).empty());
  // The incident's own jobs are in another lane: a reminder not yet due holds nothing up.
  const auto open = enqueue("P1", 1'000);
  ASSERT_EQ(claim(4'999).size(), 1u);
  ASSERT_TRUE(complete_job(*db_, open, 5'000));
  const auto due = claim(5'000);
  ASSERT_EQ(due.size(), 1u);
  EXPECT_EQ(due[0].payload, R"({"n":1})");
  EXPECT_EQ(due[0].created_at_ms, 1'000);
  ASSERT_TRUE(complete_job(*db_, due[0].id, 5'001));
  EXPECT_TRUE(claim(8'999).empty());
  EXPECT_EQ(claim(9'000).size(), 1u);
}

TEST_P(JobsTest, RetryWaitsForNextAttemptAndHoldsBackTheIncident) {
  const auto first = enqueue("A");
  const auto second = enqueue("A");
  ASSERT_EQ(claim(0).size(), 1u);
  ASSERT_TRUE(retry_job(*db_, first, "HTTP 503", 2000, 10));
  EXPECT_TRUE(claim(1999).empty());
  EXPECT_EQ(*next_job_due_ms(*db_), std::optional<std::int64_t>{2000});
  auto again = claim(2000);
  ASSERT_EQ(again.size(), 1u);
  EXPECT_EQ(again[0].id, first);
  EXPECT_EQ(again[0].attempts, 2);
  EXPECT_EQ(again[0].last_error, "HTTP 503");
  ASSERT_TRUE(complete_job(*db_, first, 2001));
  auto next = claim(2001);
  ASSERT_EQ(next.size(), 1u);
  EXPECT_EQ(next[0].id, second);
}

TEST_P(JobsTest, BuriedJobIsDeadLetterAndUnblocksTheIncident) {
  const auto first = enqueue("A");
  const auto second = enqueue("A");
  ASSERT_EQ(claim(0).size(), 1u);
  ASSERT_TRUE(bury_job(*db_, first, "HTTP 400 bad priority", 5));
  EXPECT_EQ(state_of(first), job_state::dead);
  auto dead = list_jobs(*db_, job_state::dead, 10);
  ASSERT_EQ(dead->size(), 1u);
  EXPECT_EQ((*dead)[0].last_error, "HTTP 400 bad priority");
  auto next = claim(5);
  ASSERT_EQ(next.size(), 1u);
  EXPECT_EQ(next[0].id, second);
  auto counts = *count_jobs(*db_);
  EXPECT_EQ(counts.dead, 1);
  EXPECT_EQ(counts.running, 1);
  EXPECT_EQ(counts.queued, 0);
}

TEST_P(JobsTest, OnlyRunningJobsCanFinish) {
  const auto id = enqueue("A");
  auto refused = complete_job(*db_, id, 1);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, "not_found");
  EXPECT_TRUE(db_->health().healthy);
  EXPECT_FALSE(retry_job(*db_, 999, "x", 1, 1));
  EXPECT_EQ(state_of(id), job_state::queued);
}

TEST_P(JobsTest, RunningJobsAreClaimableAgainAfterReopen) {
  const auto done = enqueue("A");
  const auto interrupted = enqueue("B");
  ASSERT_EQ(claim(0).size(), 2u);
  ASSERT_TRUE(complete_job(*db_, done, 1));
  reopen();
  EXPECT_TRUE(claim(10).empty());
  EXPECT_EQ(*recover_running_jobs(*db_, 10), 1);
  auto again = claim(10);
  ASSERT_EQ(again.size(), 1u);
  EXPECT_EQ(again[0].id, interrupted);
  EXPECT_EQ(again[0].attempts, 2);
  EXPECT_EQ(state_of(done), job_state::done);
}

TEST_P(JobsTest, NextDueIgnoresJobsWaitingBehindTheirIncident) {
  EXPECT_EQ(*next_job_due_ms(*db_), std::nullopt);
  enqueue("A", 300);
  enqueue("A", 100);  // behind the first job of A, so not the next wake-up
  enqueue("B", 200);
  EXPECT_EQ(*next_job_due_ms(*db_), std::optional<std::int64_t>{200});
}

TEST_P(JobsTest, PruneDoneJobsKeepsEverythingElse) {
  const auto old_done = enqueue("A", 0);
  enqueue("B", 0);
  ASSERT_EQ(claim(0).size(), 2u);
  ASSERT_TRUE(complete_job(*db_, old_done, 10));
  enqueue("C", 0);
  EXPECT_EQ(*prune_done_jobs(*db_, 11, 10), 1);
  EXPECT_FALSE(get_job(*db_, old_done)->has_value());
  auto counts = *count_jobs(*db_);
  EXPECT_EQ(counts.running, 1);
  EXPECT_EQ(counts.queued, 1);
}

WARROOM_STORE_CONFORMANCE(JobsTest);

}  // namespace
}  // namespace warroom::store
