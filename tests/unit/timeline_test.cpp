#include "media/timeline.hpp"

#include <gtest/gtest.h>

#include <vector>

namespace sluice::media {
namespace {

constexpr auto kA = FrameKind::kAudio;
constexpr auto kV = FrameKind::kVideo;
constexpr auto kD = FrameKind::kData;

uint64_t at(Timeline& t, FrameKind kind, uint32_t ts) {
  return t.place(kind, ts).timestamp;
}

TEST(Timeline, APlainStreamKeepsItsTimestamps) {
  Timeline t;
  EXPECT_EQ(at(t, kD, 0), 0u);
  EXPECT_EQ(at(t, kV, 0), 0u);
  EXPECT_EQ(at(t, kA, 23), 23u);
  EXPECT_EQ(at(t, kV, 40), 40u);
  EXPECT_EQ(at(t, kA, 46), 46u);
}

TEST(Timeline, WrapAroundAt2To32Continues) {
  Timeline t;
  EXPECT_EQ(at(t, kV, 0xFFFFFFF0u), 0xFFFFFFF0u);
  EXPECT_EQ(at(t, kA, 0xFFFFFFFAu), 0xFFFFFFFAu);
  EXPECT_EQ(at(t, kV, 0x00000010u), 0x100000010u);  // 32 ms later, not 49 days earlier
  EXPECT_EQ(at(t, kA, 0x00000014u), 0x100000014u);
  EXPECT_EQ(at(t, kV, 0x00000030u), 0x100000030u);
  EXPECT_EQ(t.place(kV, 0x50).went_back_ms, 0u);
}

TEST(Timeline, InterleavedAudioAndVideoKeepTheirSkew) {
  // Real muxers send audio a little ahead of or behind video: that is A/V
  // sync, and no track goes back on its own, so nothing is changed.
  Timeline t;
  const std::vector<std::pair<FrameKind, uint32_t>> in = {
      {kV, 1000}, {kA, 980}, {kA, 1003}, {kV, 1033}, {kA, 1026}, {kA, 1050}, {kV, 1066}};
  for (const auto& [kind, ts] : in) {
    auto p = t.place(kind, ts);
    EXPECT_EQ(p.timestamp, ts);
    EXPECT_FALSE(p.shifted);
  }
}

TEST(Timeline, SmallStepBackOnATrackIsClampedToItsLastTime) {
  Timeline t;
  at(t, kV, 1000);
  at(t, kV, 1040);
  auto p = t.place(kV, 1020);  // jitter: 20 ms back
  EXPECT_EQ(p.timestamp, 1040u);
  EXPECT_TRUE(p.shifted);
  EXPECT_EQ(p.went_back_ms, 20u);
  EXPECT_EQ(at(t, kV, 1080), 1080u);  // the timeline itself did not move
  EXPECT_EQ(at(t, kA, 1060), 1060u);  // nor the other track
}

TEST(Timeline, LargeJumpBackContinuesFromTheLastTimeOnEveryTrack) {
  Timeline t;
  at(t, kV, 50000);
  at(t, kA, 50010);
  at(t, kV, 50040);
  auto p = t.place(kV, 100);  // the encoder restarted
  EXPECT_EQ(p.timestamp, 50040u);
  EXPECT_EQ(p.went_back_ms, 49940u);
  EXPECT_TRUE(p.shifted);
  // Everything after moves with it, keeping the publisher's own spacing.
  EXPECT_EQ(at(t, kA, 110), 50050u);
  EXPECT_EQ(at(t, kV, 140), 50080u);
  EXPECT_FALSE(t.place(kV, 180).shifted);
}

TEST(Timeline, JumpBackAcrossTheWrapIsStillABackwardJump) {
  Timeline t;
  at(t, kV, 0xFFFFFF00u);
  at(t, kV, 0x00000100u);             // wrapped: 0x100000100
  auto p = t.place(kV, 0xFFFFF000u);  // back before the wrap
  EXPECT_EQ(p.timestamp, 0x100000100u);
  EXPECT_GT(p.went_back_ms, 1000u);
  EXPECT_EQ(at(t, kV, 0xFFFFF040u), 0x100000140u);
}

TEST(Timeline, ANewPublisherContinuesAfterTheNewestFrame) {
  Timeline t;
  at(t, kV, 5000);
  at(t, kA, 5020);
  t.restart();
  EXPECT_EQ(at(t, kD, 0), 5020u);  // metadata first, at the current time
  EXPECT_EQ(at(t, kV, 0), 5020u + Timeline::kRepublishGapMs);
  EXPECT_EQ(at(t, kA, 20), 5040u + Timeline::kRepublishGapMs);
}

TEST(Timeline, DataNeverMovesTheTimeline) {
  Timeline t;
  at(t, kV, 0xFFFF0000u);                // a publisher starting a minute before the wrap
  EXPECT_EQ(at(t, kD, 0), 0xFFFF0000u);  // metadata stamped 0: placed at the current time
  EXPECT_EQ(at(t, kV, 0xFFFF0028u), 0xFFFF0028u);
  EXPECT_EQ(at(t, kD, 0xFFFF0030u), 0xFFFF0030u);  // a cue point in the timeline keeps its time
  // One by another clock: the current time, never before the last data.
  EXPECT_EQ(at(t, kD, 0x7FFF0000u), 0xFFFF0030u);
}

TEST(Timeline, TimestampsNeverGoBackPerTrackWhateverComes) {
  Timeline t;
  uint32_t seed = 12345;
  uint64_t last[2] = {0, 0};
  for (int i = 0; i < 20000; ++i) {
    seed = seed * 1103515245u + 12345u;
    const FrameKind kind = (seed >> 7) & 1 ? kA : kV;
    const uint32_t ts = seed;  // anything at all
    const uint64_t out = at(t, kind, ts);
    uint64_t& prev = last[kind == kA ? 0 : 1];
    ASSERT_GE(out, prev) << i;
    prev = out;
  }
}

}  // namespace
}  // namespace sluice::media
