#include "rtmp/play_limit.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <vector>

namespace sluice::rtmp {
namespace {

using media::Frame;
using media::FrameKind;
using Verdict = PlayLimit::Verdict;

Frame metadata(uint32_t ts = 0) {
  return Frame(FrameKind::kData, ts, {0x02, 0x00, 0x01, 'x'});
}
Frame avc_header(uint32_t ts = 0) {
  return Frame(FrameKind::kVideo, ts, {0x17, 0x00, 0, 0, 0});
}
Frame aac_header(uint32_t ts = 0) {
  return Frame(FrameKind::kAudio, ts, {0xAF, 0x00, 0x12});
}
Frame keyframe(uint32_t ts) {
  return Frame(FrameKind::kVideo, ts, {0x17, 0x01, 0, 0, 0, 1});
}
Frame inter(uint32_t ts) {
  return Frame(FrameKind::kVideo, ts, {0x27, 0x01, 0, 0, 0, 1});
}
Frame aac(uint32_t ts) {
  return Frame(FrameKind::kAudio, ts, {0xAF, 0x01, 0x21});
}

TEST(PlayLimit, WithoutDurationEverythingIsSent) {
  PlayLimit limit(std::nullopt);
  for (uint32_t ts = 0; ts < 100'000; ts += 40) EXPECT_EQ(limit.admit(inter(ts)), Verdict::kSend);
  EXPECT_FALSE(limit.complete());
}

TEST(PlayLimit, DurationSendsThatManyMillisecondsOfMediaThenStops) {
  PlayLimit limit(3000);
  EXPECT_EQ(limit.admit(metadata()), Verdict::kSend);
  EXPECT_EQ(limit.admit(avc_header()), Verdict::kSend);
  EXPECT_EQ(limit.admit(aac_header()), Verdict::kSend);
  // A GOP cache starts at a keyframe with the publisher's timestamps.
  uint32_t ts = 50'000;
  EXPECT_EQ(limit.admit(keyframe(ts)), Verdict::kSend);
  int sent = 1;
  for (ts += 40; ts < 50'000 + 2'999; ts += 40, ++sent) {
    ASSERT_EQ(limit.admit(inter(ts)), Verdict::kSend) << ts;
  }
  EXPECT_EQ(sent, 75);  // 0 .. 2960 ms at 25 fps
  EXPECT_EQ(limit.sent_ms(), 2960u);
  EXPECT_EQ(limit.admit(inter(53'000)), Verdict::kStop);
  EXPECT_TRUE(limit.complete());
  // Nothing more once complete, not even headers.
  EXPECT_EQ(limit.admit(avc_header(53'040)), Verdict::kStop);
}

TEST(PlayLimit, AudioSlightlyBehindTheFirstVideoFrameIsNotAHugeSpan) {
  PlayLimit limit(1000);
  EXPECT_EQ(limit.admit(keyframe(1000)), Verdict::kSend);
  EXPECT_EQ(limit.admit(aac(977)), Verdict::kSend);
  EXPECT_EQ(limit.admit(inter(1040)), Verdict::kSend);
  EXPECT_FALSE(limit.complete());
}

TEST(PlayLimit, TimestampsThatWrapAtTwoToThe32KeepCounting) {
  PlayLimit limit(1000);
  EXPECT_EQ(limit.admit(keyframe(0xFFFF'FF00u)), Verdict::kSend);
  EXPECT_EQ(limit.admit(inter(0x0000'0100u)), Verdict::kSend);  // 512 ms later
  EXPECT_EQ(limit.admit(inter(0x0000'0300u)), Verdict::kStop);  // 1024 ms later
}

TEST(PlayLimit, ZeroDurationIsTheFirstPictureAfterTheHeaders) {
  PlayLimit limit(0);
  EXPECT_EQ(limit.admit(metadata()), Verdict::kSend);
  EXPECT_EQ(limit.admit(avc_header()), Verdict::kSend);
  EXPECT_EQ(limit.admit(aac_header()), Verdict::kSend);
  EXPECT_EQ(limit.admit(aac(10)), Verdict::kSkip);
  EXPECT_EQ(limit.admit(keyframe(20)), Verdict::kSendAndStop);
  EXPECT_TRUE(limit.complete());
  EXPECT_EQ(limit.admit(inter(60)), Verdict::kStop);
}

TEST(PlayLimit, ZeroDurationOfAnAudioOnlyStreamIsOneAudioFrame) {
  PlayLimit limit(0);
  EXPECT_EQ(limit.admit(aac_header()), Verdict::kSend);
  EXPECT_EQ(limit.admit(aac(23)), Verdict::kSendAndStop);
  EXPECT_TRUE(limit.complete());
}

}  // namespace
}  // namespace sluice::rtmp
