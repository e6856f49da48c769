#include <string>
#include <vector>

#include <gtest/gtest.h>

#include <warroom/store/database.hpp>
#include <warroom/store/jobs.hpp>

#include "store_fixture.hpp"

namespace warroom::store {
namespace {

using testing::make_delivery;

class DatabaseTest : public testing::database_test {
 protected:
  std::vector<ingest_result> ingest(std::vector<delivery> batch) {
    auto results = db_->ingest_batch(batch);
    EXPECT_TRUE(results) << results.error().message;
    return results ? *results : std::vector<ingest_result>{};
  }

  // Caps the file at its current size, the way a full disk would.
  void fill_disk() {
    auto pages = db_->conn().query_int("PRAGMA page_count");
    ASSERT_TRUE(pages);
    const std::string pragma = "PRAGMA max_page_count = " + std::to_string(*pages);
    ASSERT_TRUE(db_->conn().exec(pragma.c_str()));
  }
};

constexpr auto accepted = ingest_status::accepted;
constexpr auto duplicate = ingest_status::duplicate;

TEST_F(DatabaseTest, AcceptsThenReportsDuplicateDeliveryId) {
  auto first = ingest({make_delivery("d1")});
  ASSERT_EQ(first.size(), 1u);
  EXPECT_EQ(first[0].status, accepted);
  EXPECT_GT(first[0].job_id, 0);
  auto again = ingest({make_delivery("d1")});
  EXPECT_EQ(again[0], (ingest_result{duplicate, 0}));
  EXPECT_EQ(count("SELECT COUNT(*) FROM jobs"), 1);
  EXPECT_EQ(count("SELECT job_id FROM deliveries"), first[0].job_id);
}

TEST_F(DatabaseTest, SameEventIdUnderAnotherDeliveryIsDuplicate) {
  EXPECT_EQ(ingest({make_delivery("d1", "e1")})[0].status, accepted);
  EXPECT_EQ(ingest({make_delivery("d2", "e1")})[0].status, duplicate);
  // An empty event id never deduplicates.
  EXPECT_EQ(ingest({make_delivery("d3")})[0].status, accepted);
  EXPECT_EQ(ingest({make_delivery("d4")})[0].status, accepted);
}

TEST_F(DatabaseTest, DuplicatesInsideOneBatch) {
  auto results = ingest({make_delivery("d1", "e1"), make_delivery("d1", "e2"),
                         make_delivery("d2", "e1"), make_delivery("d3", "e3")});
  ASSERT_EQ(results.size(), 4u);
  EXPECT_EQ(results[0].status, accepted);
  EXPECT_EQ(results[1].status, duplicate);
  EXPECT_EQ(results[2].status, duplicate);
  EXPECT_EQ(results[3].status, accepted);
  EXPECT_EQ(count("SELECT COUNT(*) FROM jobs"), 2);
}

TEST_F(DatabaseTest, IdsAreScopedBySource) {
  auto from_mattermost = make_delivery("d1", "e1");
  from_mattermost.source = "mattermost";
  auto results = ingest({make_delivery("d1", "e1"), from_mattermost});
  EXPECT_EQ(results[0].status, accepted);
  EXPECT_EQ(results[1].status, accepted);
}

TEST_F(DatabaseTest, DeliveryWithoutJobKindOnlyDeduplicates) {
  auto d = make_delivery("d1");
  d.job_kind.clear();
  EXPECT_EQ(ingest({d})[0], (ingest_result{accepted, 0}));
  EXPECT_EQ(ingest({d})[0].status, duplicate);
  EXPECT_EQ(count("SELECT COUNT(*) FROM jobs"), 0);
}

TEST_F(DatabaseTest, FullDiskStoresNothingOfTheBatchThenRecovers) {
  ASSERT_EQ(ingest({make_delivery("before")})[0].status, accepted);
  fill_disk();
  std::vector<delivery> batch;
  for (int i = 0; i < 4; ++i) {
    batch.push_back(make_delivery("big" + std::to_string(i)));
    batch.back().payload.assign(200 * 1024, 'x');
  }
  auto failed = db_->ingest_batch(batch);
  ASSERT_FALSE(failed);
  EXPECT_EQ(failed.error().code, "unavailable");
  EXPECT_FALSE(db_->health().healthy);
  EXPECT_FALSE(db_->health().last_error.empty());
  EXPECT_EQ(count("SELECT COUNT(*) FROM deliveries"), 1);
  EXPECT_EQ(count("SELECT COUNT(*) FROM jobs"), 1);

  ASSERT_TRUE(db_->conn().exec("PRAGMA max_page_count = 1073741823"));
  auto retried = ingest(batch);
  ASSERT_EQ(retried.size(), 4u);
  EXPECT_EQ(retried[3].status, accepted);
  EXPECT_TRUE(db_->health().healthy);
  EXPECT_EQ(count("SELECT COUNT(*) FROM deliveries"), 5);
}

TEST_F(DatabaseTest, ReadOnlyReopenRefusesWrites) {
  ASSERT_EQ(ingest({make_delivery("d1")})[0].status, accepted);
  reopen(/*read_only=*/true);
  auto refused = db_->ingest_batch(std::vector{make_delivery("d2")});
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, "unavailable");
  EXPECT_FALSE(db_->health().healthy);
  EXPECT_EQ(count("SELECT COUNT(*) FROM deliveries"), 1);
}

TEST_F(DatabaseTest, PruneRemovesOnlyOldDeliveriesInBatches) {
  std::vector<delivery> batch;
  for (int i = 0; i < 5; ++i)
    batch.push_back(make_delivery("old" + std::to_string(i), "", "", 100));
  for (int i = 0; i < 3; ++i)
    batch.push_back(make_delivery("new" + std::to_string(i), "", "", 900));
  ingest(batch);
  auto first = db_->prune_deliveries(500, 2);
  ASSERT_TRUE(first);
  EXPECT_EQ(*first, 2);
  EXPECT_EQ(*db_->prune_deliveries(500, 10), 3);
  EXPECT_EQ(*db_->prune_deliveries(500, 10), 0);
  EXPECT_EQ(count("SELECT COUNT(*) FROM deliveries WHERE delivery_id LIKE 'new%'"), 3);
  EXPECT_EQ(count("SELECT COUNT(*) FROM deliveries"), 3);
  // A pruned delivery is forgotten: its id is accepted again, a kept one is still a duplicate.
  EXPECT_EQ(ingest({make_delivery("old0"), make_delivery("new0")})[0].status, accepted);
  EXPECT_EQ(ingest({make_delivery("new1")})[0].status, duplicate);
}

}  // namespace
}  // namespace warroom::store
