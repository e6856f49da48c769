#include <string>
#include <vector>

#include <gtest/gtest.h>

#include <warroom/domain/archive.hpp>

namespace warroom::domain::archive_test {
namespace {

incident_snapshot resolved_at(std::int64_t ms) {
  incident_snapshot inc;
  inc.number = 42;
  inc.status = "resolved";
  inc.resolved_at_ms = ms;
  return inc;
}

TEST(Archive, DueAfterTheResolveUnlessOff) {
  EXPECT_EQ(archive_due_ms(1'000, 86'400'000), 86'401'000);
  EXPECT_EQ(archive_due_ms(1'000, 1'000), 2'000);
  EXPECT_EQ(archive_due_ms(1'000, 0), std::nullopt);  // "0s": never archive
  EXPECT_EQ(archive_due_ms(1'000, -5), std::nullopt);
  EXPECT_EQ(archive_due_ms(0, 1'000), std::nullopt);  // resolve time unknown
}

TEST(Archive, EachResolveHasItsOwnSteps) {
  const auto first = archive_steps_of(1'000);
  const auto second = archive_steps_of(2'000);
  EXPECT_EQ(first.scheduled, "archive.1000.scheduled");
  const std::vector<std::string> all = {first.scheduled, first.message, first.started, first.done,
                                        first.cancelled};
  for (std::size_t i = 0; i < all.size(); ++i)
    for (std::size_t j = i + 1; j < all.size(); ++j)
      EXPECT_NE(all[i], all[j]);
  EXPECT_NE(first.cancelled, second.cancelled);
}

struct wanted_case {
  const char* name;
  std::string status;
  std::int64_t stored_resolved_at;
  bool has_channel;
  step_map steps;
  bool wanted;
};

TEST(Archive, WantedOnlyWhileResolvedByTheSameResolveAndNotCancelled) {
  const auto steps = archive_steps_of(1'000);
  const std::vector<wanted_case> cases = {
      {"resolved, due", "resolved", 1'000, true, {}, true},
      {"already begun (a retry)", "resolved", 1'000, true, {{steps.message, "1"}}, true},
      {"reopened", "triggered", 0, true, {}, false},
      {"reopened and acknowledged", "acknowledged", 0, true, {}, false},
      {"never resolved", "triggered", 0, true, {}, false},
      {"resolved again since", "resolved", 5'000, true, {}, false},
      {"cancelled by a reopen not yet saved",
       "resolved",
       1'000,
       true,
       {{steps.cancelled, "1"}},
       false},
      {"no channel", "resolved", 1'000, false, {}, false},
  };
  for (const auto& c : cases) {
    auto inc = resolved_at(c.stored_resolved_at);
    inc.status = c.status;
    EXPECT_EQ(archive_wanted(inc, c.has_channel, 1'000, c.steps), c.wanted) << c.name;
  }
}

TEST(Archive, AReopenCancelsTheArchiveOfTheResolveItUndoes) {
  EXPECT_EQ(archive_cancel_step(resolved_at(1'000)), archive_steps_of(1'000).cancelled);
  auto open = resolved_at(0);
  open.status = "acknowledged";
  EXPECT_EQ(archive_cancel_step(open), std::nullopt);
  EXPECT_EQ(archive_cancel_step(resolved_at(0)), std::nullopt);
}

TEST(Archive, AReopenRestoresOnlyWhenAnArchiveOfThatResolveStarted) {
  const auto inc = resolved_at(1'000);
  EXPECT_FALSE(channel_may_be_archived(inc, {}));
  EXPECT_FALSE(channel_may_be_archived(inc, {{archive_steps_of(1'000).message, "1"}}));
  EXPECT_TRUE(channel_may_be_archived(inc, {{archive_steps_of(1'000).started, "1"}}));
  EXPECT_FALSE(channel_may_be_archived(inc, {{archive_steps_of(999).started, "1"}}));
}

TEST(Archive, TheLastMessageSaysWhenAndThatItComesBack) {
  const auto text = archiving_message(resolved_at(1'000), 1'000 + 3'780'000);
  EXPECT_EQ(text,
            "Archiving this channel: INC 42 was resolved 1h 03m ago. It comes back if the incident "
            "reopens.");
}

}  // namespace
}  // namespace warroom::domain::archive_test
