// Deliveries, transactions and migrations over the `database` interface, the same on every
// backend (jobs_test.cpp and incidents_test.cpp cover the rest of the interface).
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include <warroom/store/incidents.hpp>
#include <warroom/store/jobs.hpp>

#include "backend_fixture.hpp"

namespace warroom::store::conformance_test {
namespace {

using testing::make_delivery;
using ConformanceTest = testing::store_test;

constexpr auto accepted = ingest_status::accepted;
constexpr auto duplicate = ingest_status::duplicate;

std::vector<ingest_status> statuses(const std::vector<ingest_result>& results) {
  std::vector<ingest_status> out;
  for (const auto& r : results)
    out.push_back(r.status);
  return out;
}

TEST_P(ConformanceTest, DedupesByDeliveryIdAcrossBatches) {
  const std::vector<delivery> first{make_delivery("d1", "e1")};
  auto stored = db_->ingest_batch(first);
  ASSERT_TRUE(stored) << stored.error().message;
  ASSERT_EQ(stored->size(), 1u);
  EXPECT_EQ((*stored)[0].status, accepted);
  EXPECT_GT((*stored)[0].job_id, 0);
  auto again = db_->ingest_batch(first);
  ASSERT_TRUE(again);
  EXPECT_EQ((*again)[0], (ingest_result{duplicate, 0}));
  EXPECT_EQ(count_jobs(*db_)->queued, 1);
  auto job = *get_job(*db_, (*stored)[0].job_id);
  ASSERT_TRUE(job.has_value());
  EXPECT_EQ(job->incident_id, "P1");
  EXPECT_EQ(job->kind, "event");
  EXPECT_EQ(job->next_attempt_at_ms, 1000);
}

TEST_P(ConformanceTest, DedupesByEventIdUnderAnotherDeliveryAndWithinABatch) {
  const std::vector<delivery> batch{make_delivery("d1", "e1"), make_delivery("d2", "e1"),
                                    make_delivery("d1", "e2"), make_delivery("d3", ""),
                                    make_delivery("d4", "")};
  auto stored = db_->ingest_batch(batch);
  ASSERT_TRUE(stored) << stored.error().message;
  EXPECT_EQ(statuses(*stored),
            (std::vector<ingest_status>{accepted, duplicate, duplicate, accepted, accepted}));
  // An empty event id dedupes nothing by itself.
  EXPECT_EQ(count_jobs(*db_)->queued, 3);
}

// Within a batch, a delivery dropped as a duplicate still makes later ones with its delivery id
// duplicates (the same X-Webhook-Id is the same delivery). Duplicates are found across the
// statements a large batch is written in.
TEST_P(ConformanceTest, DuplicatesAreFoundAcrossALargeBatch) {
  ASSERT_TRUE(db_->ingest_batch(std::vector{make_delivery("d1", "e1")}));
  std::vector<delivery> batch{make_delivery("d2", "e1"), make_delivery("d2", "e2"),
                              make_delivery("d2", "e2")};
  for (int i = 0; i < 40; ++i)
    batch.push_back(make_delivery("n" + std::to_string(i), "f" + std::to_string(i)));
  batch.push_back(make_delivery("n3", "g1"));    // an earlier delivery id, 40 rows back
  batch.push_back(make_delivery("n40", "f39"));  // an earlier event id
  batch.push_back(make_delivery("n41", "g2"));
  for (std::size_t i = 0; i < batch.size(); ++i)
    batch[i].payload = "{\"n\":" + std::to_string(i) + "}";
  auto stored = db_->ingest_batch(batch);
  ASSERT_TRUE(stored) << stored.error().message;
  ASSERT_EQ(stored->size(), batch.size());
  EXPECT_EQ((*stored)[0], (ingest_result{duplicate, 0}));
  EXPECT_EQ((*stored)[1], (ingest_result{duplicate, 0}));
  EXPECT_EQ((*stored)[2], (ingest_result{duplicate, 0}));
  for (std::size_t i = 3; i < 43; ++i)
    EXPECT_EQ((*stored)[i].status, accepted) << i;
  EXPECT_EQ((*stored)[43], (ingest_result{duplicate, 0}));
  EXPECT_EQ((*stored)[44], (ingest_result{duplicate, 0}));
  EXPECT_EQ((*stored)[45].status, accepted);
  EXPECT_EQ(count_jobs(*db_)->queued, 1 + 40 + 1);
  for (std::size_t i : {3u, 42u, 45u}) {
    auto job = *get_job(*db_, (*stored)[i].job_id);
    ASSERT_TRUE(job.has_value()) << i;
    EXPECT_EQ(job->payload, batch[i].payload);
  }
}

TEST_P(ConformanceTest, IdsAreScopedBySource) {
  auto mattermost = make_delivery("d1", "e1");
  mattermost.source = "mattermost";
  const std::vector<delivery> batch{make_delivery("d1", "e1"), mattermost};
  EXPECT_EQ(statuses(*db_->ingest_batch(batch)), (std::vector<ingest_status>{accepted, accepted}));
}

TEST_P(ConformanceTest, ADeliveryWithoutJobKindOnlyDedupes) {
  auto d = make_delivery("d1");
  d.job_kind.clear();
  const std::vector<delivery> batch{d};
  EXPECT_EQ((*db_->ingest_batch(batch))[0], (ingest_result{accepted, 0}));
  EXPECT_EQ((*db_->ingest_batch(batch))[0].status, duplicate);
  EXPECT_EQ(count_jobs(*db_)->queued, 0);
}

TEST_P(ConformanceTest, ABatchIsGroupCommittedWithItsJobsInOrder) {
  std::vector<delivery> batch;
  for (int i = 0; i < 500; ++i) {
    batch.push_back(make_delivery("d" + std::to_string(i), "e" + std::to_string(i), "P7"));
    batch.back().payload = "{\"n\":" + std::to_string(i) + ",\"quote\":\"a\\\"b{c}\"}";
  }
  auto stored = db_->ingest_batch(batch);
  ASSERT_TRUE(stored) << stored.error().message;
  ASSERT_EQ(stored->size(), 500u);
  for (std::size_t i = 1; i < stored->size(); ++i)
    EXPECT_GT((*stored)[i].job_id, (*stored)[i - 1].job_id) << "jobs keep arrival order";
  auto jobs = *list_jobs(*db_, job_state::queued, 1000);
  ASSERT_EQ(jobs.size(), 500u);
  EXPECT_EQ(jobs[499].payload, batch[499].payload) << "payloads stored verbatim";
}

TEST_P(ConformanceTest, PruneRemovesOnlyOldDeliveriesInBatches) {
  std::vector<delivery> batch;
  for (int i = 0; i < 5; ++i)
    batch.push_back(make_delivery("old" + std::to_string(i), "", "P1", 10));
  for (int i = 0; i < 3; ++i)
    batch.push_back(make_delivery("new" + std::to_string(i), "", "P1", 50));
  ASSERT_TRUE(db_->ingest_batch(batch));
  EXPECT_EQ(*db_->prune_deliveries(20, 2), 2);
  EXPECT_EQ(*db_->prune_deliveries(20, 10), 3);
  EXPECT_EQ(*db_->prune_deliveries(20, 10), 0);
  // A pruned delivery is forgotten; a kept one still dedupes.
  const std::vector<delivery> retry{make_delivery("old0", "", "P1", 60),
                                    make_delivery("new0", "", "P1", 60)};
  EXPECT_EQ(statuses(*db_->ingest_batch(retry)), (std::vector<ingest_status>{accepted, duplicate}));
}

TEST_P(ConformanceTest, AFailedNestedWriteIsUndoneAloneAndTheOuterOneCommits) {
  auto outcome = db_->write([&]() -> result<void> {
    if (auto saved = save_step(*db_, "P1", "kept", "1", 1); !saved) return saved;
    auto inner = db_->write([&]() -> result<void> {
      if (auto saved = save_step(*db_, "P1", "undone", "1", 1); !saved) return saved;
      return make_error("refused", "the inner write fails");
    });
    EXPECT_FALSE(inner);
    EXPECT_EQ(inner.error().code, "refused");
    return {};
  });
  ASSERT_TRUE(outcome) << outcome.error().message;
  const auto steps = *load_steps(*db_, "P1");
  EXPECT_EQ(steps, (std::map<std::string, std::string>{{"kept", "1"}}));
  EXPECT_TRUE(db_->health().healthy) << "a refusal is not a storage failure";
}

TEST_P(ConformanceTest, AFailedWriteChangesNothing) {
  auto outcome = db_->write([&]() -> result<int> {
    if (auto saved = save_step(*db_, "P1", "s", "1", 1); !saved) return saved.error();
    return make_error("refused", "no");
  });
  EXPECT_FALSE(outcome);
  EXPECT_TRUE(load_steps(*db_, "P1")->empty());
}

TEST_P(ConformanceTest, MigrationsAreIdempotentAndKeepTheData) {
  ASSERT_TRUE(save_step(*db_, "P1", "s", "v", 1));
  reopen();
  reopen();
  EXPECT_EQ(load_steps(*db_, "P1")->at("s"), "v");
  auto second = open_db("replica-b");
  ASSERT_NE(second, nullptr);
  EXPECT_EQ(load_steps(*second, "P1")->at("s"), "v");
}

WARROOM_STORE_CONFORMANCE(ConformanceTest);

}  // namespace
}  // namespace warroom::store::conformance_test
