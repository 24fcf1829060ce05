#include "hooks/retry_schedule.hpp"

#include <gtest/gtest.h>

#include <vector>

namespace sluice::hooks {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

const WallTime kCreated = from_unix_ms(1'700'000'000'000);

TEST(RetrySchedule, ThreeQuickRetriesThreeSecondsApart) {
  RetrySchedule s;
  for (uint32_t attempts = 1; attempts <= 3; ++attempts) {
    const WallTime failed_at = kCreated + seconds(3 * (attempts - 1)) + milliseconds(120);
    EXPECT_EQ(next_attempt(s, kCreated, attempts, failed_at), failed_at + seconds(3))
        << "after try " << attempts;
  }
}

TEST(RetrySchedule, ThenDoublingFromSixSecondsUpToTheCap) {
  RetrySchedule s;
  const WallTime now = kCreated + seconds(20);
  std::vector<int64_t> waits;
  for (uint32_t attempts = 4; attempts <= 9; ++attempts)
    waits.push_back((*next_attempt(s, kCreated, attempts, now) - now) / seconds(1));
  EXPECT_EQ(waits, (std::vector<int64_t>{6, 12, 24, 48, 60, 60}));
  // Far past any overflow of the doubling.
  EXPECT_EQ(next_attempt(s, kCreated, 4'000'000'000u, now), now + seconds(60));
}

TEST(RetrySchedule, LastTryMovedUpToTenMinutesAfterCreation) {
  RetrySchedule s;
  const WallTime deadline = kCreated + std::chrono::minutes(10);
  EXPECT_EQ(next_attempt(s, kCreated, 12, deadline - seconds(10)), deadline);
  EXPECT_EQ(next_attempt(s, kCreated, 13, deadline), std::nullopt);
  EXPECT_EQ(next_attempt(s, kCreated, 2, deadline + seconds(1)), std::nullopt);
}

TEST(RetrySchedule, AWholeRunOfFailuresEndsWithinTenMinutes) {
  RetrySchedule s;
  WallTime now = kCreated;
  uint32_t attempts = 0;
  for (;;) {
    ++attempts;
    const auto next = next_attempt(s, kCreated, attempts, now);
    if (!next) break;
    ASSERT_GT(*next, now);
    now = *next;
    ASSERT_LT(attempts, 100u);
  }
  EXPECT_EQ(now, kCreated + std::chrono::minutes(10));
  // 1 + 3 quick + 4 doubling (6..48 s) + 60 s waits until the deadline.
  EXPECT_GT(attempts, 10u);
  EXPECT_LT(attempts, 20u);
}

TEST(RetrySchedule, FollowsItsSettings) {
  RetrySchedule s{milliseconds(100), 1, milliseconds(200), milliseconds(500), seconds(2)};
  EXPECT_EQ(next_attempt(s, kCreated, 1, kCreated), kCreated + milliseconds(100));
  EXPECT_EQ(next_attempt(s, kCreated, 2, kCreated), kCreated + milliseconds(200));
  EXPECT_EQ(next_attempt(s, kCreated, 4, kCreated), kCreated + milliseconds(500));
  EXPECT_EQ(next_attempt(s, kCreated, 4, kCreated + milliseconds(1800)), kCreated + seconds(2));
}

}  // namespace
}  // namespace sluice::hooks
