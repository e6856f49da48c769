#include <gtest/gtest.h>

#include <warroom/domain/user_directory.hpp>

namespace warroom::domain::user_directory_test {
namespace {

using namespace std::chrono_literals;

const directory_user alice{"alice00000000000000000000a", "alice"};
const directory_user bob{"bob0000000000000000000000b", "bob"};

TEST(UserDirectory, FindsByEmailAnyCaseAndByUsername) {
  user_directory dir(10min, 100);
  dir.remember("Alice@Example.com", alice, 1000);
  ASSERT_TRUE(dir.by_email("alice@example.com", 1000));
  EXPECT_EQ(dir.by_email("alice@example.com", 1000)->id, alice.id);
  ASSERT_TRUE(dir.by_username("alice", 1000));
  EXPECT_EQ(dir.by_username("alice", 1000)->id, alice.id);
  EXPECT_FALSE(dir.by_email("bob@example.com", 1000));
  EXPECT_FALSE(dir.by_username("bob", 1000));
}

TEST(UserDirectory, EntriesExpireAfterTheTtl) {
  user_directory dir(10s, 100);
  dir.remember("alice@example.com", alice, 0);
  EXPECT_TRUE(dir.by_email("alice@example.com", 9'999));
  EXPECT_FALSE(dir.by_email("alice@example.com", 10'000));
  EXPECT_TRUE(dir.by_username("alice", 9'999));
  EXPECT_FALSE(dir.by_username("alice", 10'001));
  EXPECT_EQ(dir.size(), 0u);
}

TEST(UserDirectory, ForgetDropsEveryEntryOfTheAccount) {
  user_directory dir(10min, 100);
  dir.remember("alice@example.com", alice, 0);
  dir.remember("alice.old@example.com", alice, 0);
  dir.remember("bob@example.com", bob, 0);
  dir.forget(alice.id);
  EXPECT_FALSE(dir.by_email("alice@example.com", 1));
  EXPECT_FALSE(dir.by_email("alice.old@example.com", 1));
  EXPECT_FALSE(dir.by_username("alice", 1));
  EXPECT_TRUE(dir.by_email("bob@example.com", 1));
}

TEST(UserDirectory, TheBoundEvictsTheOldestEntries) {
  user_directory dir(10min, 3);
  for (int i = 0; i < 10; ++i) {
    const directory_user u{"id" + std::to_string(i), ""};
    dir.remember("u" + std::to_string(i) + "@example.com", u, 5);
    EXPECT_LE(dir.size(), 3u);
  }
  EXPECT_FALSE(dir.by_email("u6@example.com", 5));
  for (int i = 7; i < 10; ++i)
    EXPECT_TRUE(dir.by_email("u" + std::to_string(i) + "@example.com", 5)) << i;
}

TEST(UserDirectory, AZeroTtlKeepsNothing) {
  user_directory dir(0s, 100);
  dir.remember("alice@example.com", alice, 0);
  EXPECT_EQ(dir.size(), 0u);
  EXPECT_FALSE(dir.by_email("alice@example.com", 0));
}

}  // namespace
}  // namespace warroom::domain::user_directory_test
