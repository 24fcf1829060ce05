#include "media/viewer_queue.hpp"

#include <gtest/gtest.h>

namespace sluice::media {
namespace {

FramePtr video(uint32_t ts, bool key, size_t size = 1000) {
  Bytes p(size, 0);
  p[0] = key ? 0x17 : 0x27;  // AVC keyframe / inter frame
  p[1] = 1;                  // NALU, not a sequence header
  return std::make_shared<const Frame>(FrameKind::kVideo, ts, std::move(p));
}

FramePtr video_header() {
  return std::make_shared<const Frame>(FrameKind::kVideo, 0, Bytes{0x17, 0x00, 0, 0, 0});
}

std::vector<FramePtr> drain(ViewerQueue& q) {
  std::deque<QueueItem> items;
  q.drain_into(items);
  std::vector<FramePtr> frames;
  for (auto& i : items) {
    if (i.frame) frames.push_back(i.frame);
  }
  return frames;
}

config::MediaConfig limits() {
  config::MediaConfig c;
  c.viewer_queue_max = std::chrono::milliseconds(1000);
  c.viewer_queue_max_bytes = 1 << 30;
  c.viewer_max_skips = 2;
  c.viewer_skip_window = std::chrono::milliseconds(10000);
  return c;
}

TEST(ViewerQueue, KeepsUpWhenDrained) {
  auto c = limits();
  ViewerQueue q(c);
  for (uint32_t ts = 0; ts < 10000; ts += 40) {
    ASSERT_TRUE(q.push(video(ts, ts % 2000 == 0)));
    drain(q);
  }
  EXPECT_EQ(q.skips(), 0u);
}

TEST(ViewerQueue, OverflowSkipsToNextKeyframeKeepingHeaders) {
  auto c = limits();
  ViewerQueue q(c);
  q.push(video_header());
  for (uint32_t ts = 0; ts <= 1040; ts += 40) q.push(video(ts, ts == 0));  // spans > 1000 ms
  EXPECT_EQ(q.skips(), 1u);
  // Until a keyframe arrives, inter frames are dropped.
  q.push(video(1080, false));
  q.push(video(1120, true));
  q.push(video(1160, false));
  auto frames = drain(q);
  ASSERT_EQ(frames.size(), 3u);
  EXPECT_TRUE(frames[0]->is_sequence_header());
  EXPECT_TRUE(frames[1]->is_keyframe());
  EXPECT_EQ(frames[1]->timestamp(), 1120u);
  EXPECT_EQ(frames[2]->timestamp(), 1160u);
}

TEST(ViewerQueue, ByteLimitAlsoTriggersSkip) {
  auto c = limits();
  c.viewer_queue_max_bytes = 10'000;
  ViewerQueue q(c);
  for (uint32_t ts = 0; ts < 400; ts += 40) q.push(video(ts, ts == 0, 2000));
  EXPECT_GE(q.skips(), 1u);
  EXPECT_LE(q.queued_bytes(), 10'000u);
}

TEST(ViewerQueue, TooManySkipsReportsTooSlow) {
  auto c = limits();
  ViewerQueue q(c);
  bool ok = true;
  auto t = ViewerQueue::Clock::now();
  for (uint32_t ts = 0; ts < 20000 && ok; ts += 40) ok = q.push(video(ts, ts % 400 == 0), t);
  EXPECT_FALSE(ok);
  EXPECT_EQ(q.skips(), 3u);  // max_skips = 2: the third within the window is too many
}

TEST(ViewerQueue, SkipsOutsideTheWindowAreForgiven) {
  auto c = limits();
  ViewerQueue q(c);
  auto t = ViewerQueue::Clock::now();
  bool ok = true;
  for (uint32_t ts = 0; ts < 40000 && ok; ts += 40) {
    ok = q.push(video(ts, ts % 400 == 0), t);
    t += std::chrono::seconds(30);  // at most one skip per 10 s window
  }
  EXPECT_TRUE(ok);
  EXPECT_GT(q.skips(), 3u);
}

}  // namespace
}  // namespace sluice::media
