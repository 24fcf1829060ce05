#include "api/replay_cache.hpp"

#include <gtest/gtest.h>

namespace sluice::api {
namespace {

using namespace std::chrono_literals;

const WallTime kT0 = from_unix_ms(1'704'067'200'000);

TEST(ReplayCache, AnswersARememberedSignatureUntilItExpires) {
  ReplayCache cache(10);
  EXPECT_EQ(cache.find("sig-a", kT0), nullptr);
  cache.remember("sig-a", kT0 + 15min, {200, "first", ""});
  const StoredAnswer* answer = cache.find("sig-a", kT0 + 15min);  // still replayable at the end
  ASSERT_NE(answer, nullptr);
  EXPECT_EQ(answer->status, 200u);
  EXPECT_EQ(answer->body, "first");
  EXPECT_EQ(cache.find("sig-b", kT0), nullptr);
  EXPECT_EQ(cache.find("sig-a", kT0 + 15min + 1ms), nullptr);
  EXPECT_EQ(cache.size(), 0u);
}

TEST(ReplayCache, TheFirstAnswerStays) {
  ReplayCache cache(10);
  cache.remember("sig", kT0 + 1min, {200, "first", ""});
  cache.remember("sig", kT0 + 1min, {404, "second", "NotFound.Stream"});
  ASSERT_NE(cache.find("sig", kT0), nullptr);
  EXPECT_EQ(cache.find("sig", kT0)->body, "first");
  EXPECT_EQ(cache.size(), 1u);
}

TEST(ReplayCache, FullMeansNoRoomUntilTheEarliestExpiry) {
  ReplayCache cache(3);
  // Remembered out of expiry order, as X-Dates of different clients are.
  cache.remember("late", kT0 + 30min, {200, "l", ""});
  cache.remember("early", kT0 + 10min, {200, "e", ""});
  cache.remember("middle", kT0 + 20min, {200, "m", ""});
  EXPECT_FALSE(cache.has_room(kT0));
  EXPECT_FALSE(cache.has_room(kT0 + 10min));
  EXPECT_TRUE(cache.has_room(kT0 + 10min + 1ms));
  EXPECT_EQ(cache.find("early", kT0 + 10min + 1ms), nullptr);
  EXPECT_NE(cache.find("middle", kT0 + 10min + 1ms), nullptr);
  EXPECT_NE(cache.find("late", kT0 + 10min + 1ms), nullptr);
  EXPECT_EQ(cache.size(), 2u);
}

TEST(ReplayCache, ManyEntriesExpireInOrderAndFreeTheirSpace) {
  ReplayCache cache(100'000);
  for (int i = 0; i < 100'000; ++i) {
    cache.remember("sig-" + std::to_string(i), kT0 + std::chrono::milliseconds(i), {200, "b", ""});
  }
  EXPECT_FALSE(cache.has_room(kT0));
  EXPECT_TRUE(cache.has_room(kT0 + 50'000ms));
  EXPECT_EQ(cache.size(), 50'000u);
  EXPECT_EQ(cache.find("sig-49999", kT0 + 50'000ms), nullptr);
  EXPECT_NE(cache.find("sig-50000", kT0 + 50'000ms), nullptr);
  EXPECT_TRUE(cache.has_room(kT0 + 100'000ms));
  EXPECT_EQ(cache.size(), 0u);
}

}  // namespace
}  // namespace sluice::api
