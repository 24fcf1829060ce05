#include "media/stream.hpp"

#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>

#include "media/metadata.hpp"
#include "media/registry.hpp"

namespace sluice::media {
namespace {

Bytes avc(bool key, bool header = false) {
  return Bytes{
      static_cast<uint8_t>(key ? 0x17 : 0x27), static_cast<uint8_t>(header ? 0 : 1), 0, 0, 0, 0xAA};
}
Bytes aac(bool header = false) {
  return Bytes{0xAF, static_cast<uint8_t>(header ? 0 : 1), 0x12};
}
Bytes metadata() {
  return Bytes{0x02, 0x00, 0x0A, 'o', 'n', 'M', 'e', 't', 'a', 'D', 'a', 't', 'a', 0x05};
}
// onMetaData + an empty ECMA array: the shape encoders send.
Bytes array_metadata() {
  return Bytes{0x02, 0x00, 0x0A, 'o',  'n',  'M',  'e',  't',  'a',  'D', 'a',
               't',  'a',  0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x09};
}

struct RecordingViewer : Subscriber {
  std::vector<FramePtr> frames;
  int joined = 0, left = 0, closed = 0;
  void on_frame(const FramePtr& f) override { frames.push_back(f); }
  void on_publisher_joined() override { ++joined; }
  void on_publisher_left() override { ++left; }
  void on_stream_closed() override { ++closed; }
};

struct StreamTest : ::testing::Test {
  boost::asio::io_context io;
  config::MediaConfig cfg;
  Registry registry{io.get_executor(), cfg};
  StreamKey key{"v", "live", "s"};

  void publish_gop(Stream& s, uint32_t start) {
    s.publish(FrameKind::kVideo, start, avc(true));
    s.publish(FrameKind::kAudio, start + 10, aac());
    s.publish(FrameKind::kVideo, start + 40, avc(false));
  }
};

TEST_F(StreamTest, LateJoinerGetsHeadersThenGopFromKeyframe) {
  auto s = registry.stream_for_publisher(key);
  s->begin_publish({});
  s->publish(FrameKind::kData, 0, metadata());
  s->publish(FrameKind::kVideo, 0, avc(true, true));
  s->publish(FrameKind::kAudio, 0, aac(true));
  publish_gop(*s, 0);
  publish_gop(*s, 2000);  // the cache restarts here

  auto viewer = std::make_shared<RecordingViewer>();
  auto watching = s->add_viewer(viewer);
  ASSERT_EQ(viewer->frames.size(), 6u);
  EXPECT_EQ(viewer->frames[0]->kind(), FrameKind::kData);
  EXPECT_TRUE(viewer->frames[1]->is_sequence_header() && viewer->frames[1]->is_video());
  EXPECT_TRUE(viewer->frames[2]->is_sequence_header() && viewer->frames[2]->is_audio());
  EXPECT_TRUE(viewer->frames[3]->is_keyframe());
  EXPECT_EQ(viewer->frames[3]->timestamp(), 2000u);
  EXPECT_EQ(viewer->joined, 1);

  s->publish(FrameKind::kVideo, 2080, avc(false));
  EXPECT_EQ(viewer->frames.size(), 7u);
  // The same frame object reaches every viewer: received once, shared.
  auto second = std::make_shared<RecordingViewer>();
  auto watching_second = s->add_viewer(second);
  EXPECT_EQ(second->frames.back().get(), viewer->frames.back().get());
}

TEST_F(StreamTest, SecondPublisherIsRefusedWhileFirstIsLive) {
  auto first = registry.stream_for_publisher(key);
  ASSERT_TRUE(first);
  first->begin_publish({});
  EXPECT_EQ(registry.stream_for_publisher(key), nullptr);
  EXPECT_TRUE(registry.stream_for_publisher({"v", "live", "other"}));
  first->end_publish();
  EXPECT_TRUE(registry.stream_for_publisher(key));
}

TEST_F(StreamTest, ViewersAreClosedAfterGraceUnlessPublisherReturns) {
  cfg.unpublish_grace = std::chrono::milliseconds(50);
  auto s = registry.stream_for_publisher(key);
  s->begin_publish({});
  publish_gop(*s, 0);
  auto viewer = std::make_shared<RecordingViewer>();
  auto watching = s->add_viewer(viewer);

  s->end_publish();
  EXPECT_EQ(viewer->left, 1);
  io.run_for(std::chrono::milliseconds(20));
  s->begin_publish({});  // back within the grace period
  io.run_for(std::chrono::milliseconds(100));
  EXPECT_EQ(viewer->closed, 0);
  EXPECT_EQ(viewer->joined, 2);

  s->end_publish();
  io.restart();  // the context ran out of work when the first timer was cancelled
  io.run_for(std::chrono::milliseconds(150));
  EXPECT_EQ(viewer->closed, 1);
  EXPECT_EQ(registry.find(key), nullptr);  // nothing left: forgotten
}

TEST_F(StreamTest, TimestampsStayMonotonicAcrossRepublish) {
  auto s = registry.stream_for_publisher(key);
  auto viewer = std::make_shared<RecordingViewer>();
  auto watching = s->add_viewer(viewer);
  s->begin_publish({});
  publish_gop(*s, 5000);
  s->end_publish();
  s->begin_publish({});
  publish_gop(*s, 0);  // the new publisher starts from zero
  ASSERT_EQ(viewer->frames.size(), 6u);
  for (size_t i = 1; i < viewer->frames.size(); ++i) {
    EXPECT_GE(viewer->frames[i]->timestamp(), viewer->frames[i - 1]->timestamp()) << i;
  }
}

TEST_F(StreamTest, ViewersGetA64BitTimelineThatNeverGoesBack) {
  auto s = registry.stream_for_publisher(key);
  auto viewer = std::make_shared<RecordingViewer>();
  auto watching = s->add_viewer(viewer);
  s->begin_publish({});
  publish_gop(*s, 0xFFFFFFE0u);  // 0xFFFFFFE0, +10, +40: the last one wraps
  publish_gop(*s, 0xFFFF0000u);  // the publisher's clock jumps back a minute
  ASSERT_EQ(viewer->frames.size(), 6u);
  EXPECT_EQ(viewer->frames[2]->timestamp(), 0x100000008u);
  EXPECT_EQ(viewer->frames[2]->wire_timestamp(), 0x8u);     // RTMP/FLV wrap naturally
  EXPECT_EQ(viewer->frames[3]->timestamp(), 0x100000008u);  // continues from the last one
  EXPECT_EQ(viewer->frames[5]->timestamp(), 0x100000008u + 40);
  EXPECT_EQ(s->stats().timestamps_corrected, 1u);
}

TEST_F(StreamTest, WaitingViewerStartsWhenPublisherAppears) {
  auto s = registry.stream_for_viewer(key);
  auto viewer = std::make_shared<RecordingViewer>();
  auto watching = s->add_viewer(viewer);
  EXPECT_EQ(viewer->joined, 0);
  auto same = registry.stream_for_publisher(key);
  ASSERT_EQ(same, s);
  same->begin_publish({});
  EXPECT_EQ(viewer->joined, 1);
  publish_gop(*same, 0);
  EXPECT_EQ(viewer->frames.size(), 3u);
  watching.reset();
  same->end_publish();
  EXPECT_EQ(registry.find(key), nullptr);
}

TEST_F(StreamTest, GopCacheOffSendsNoOldFrames) {
  cfg.gop_cache = false;
  auto s = registry.stream_for_publisher(key);
  s->begin_publish({});
  s->publish(FrameKind::kVideo, 0, avc(true, true));
  publish_gop(*s, 0);
  auto viewer = std::make_shared<RecordingViewer>();
  auto watching = s->add_viewer(viewer);
  ASSERT_EQ(viewer->frames.size(), 1u);  // only the sequence header
}

TEST(FrameClassification, EnhancedRtmpHevc) {
  // Enhanced RTMP: bit 7 set, frame type 1 (key), packet type 0 = sequence start.
  Frame seq(FrameKind::kVideo, 0, Bytes{0x90, 'h', 'v', 'c', '1'});
  EXPECT_TRUE(seq.is_sequence_header());
  EXPECT_FALSE(seq.is_keyframe());
  Frame key(FrameKind::kVideo, 0, Bytes{0x91, 'h', 'v', 'c', '1', 0, 0, 0});  // coded frames
  EXPECT_TRUE(key.is_keyframe());
  Frame inter(FrameKind::kVideo, 0, Bytes{0xA1, 'h', 'v', 'c', '1', 0, 0, 0});
  EXPECT_FALSE(inter.is_keyframe());
}

// Found by bench/soak.sh: a viewer closed after the grace leaves its old
// stream later (its session's clean-up), when the name may already be live
// again as a new Stream. The old stream going idle must not unregister the
// new one, or new viewers wait on a fresh empty stream and time out while
// the publisher is live (and a second publisher would be let in).
TEST_F(StreamTest, StaleStreamGoingIdleLeavesItsSuccessorRegistered) {
  cfg.unpublish_grace = std::chrono::milliseconds(10);
  auto old_stream = registry.stream_for_publisher(key);
  old_stream->begin_publish({});
  auto viewer = std::make_shared<RecordingViewer>();
  auto watching = old_stream->add_viewer(viewer);
  old_stream->end_publish();
  io.run_for(std::chrono::milliseconds(100));
  ASSERT_EQ(viewer->closed, 1);
  ASSERT_EQ(registry.find(key), nullptr);

  auto successor = registry.stream_for_publisher(key);
  ASSERT_NE(successor, old_stream);
  successor->begin_publish({});
  watching.reset();  // the closed viewer's session ends
  EXPECT_EQ(registry.find(key), successor);
  EXPECT_EQ(registry.stream_for_viewer(key), successor);
  EXPECT_EQ(registry.stream_for_publisher(key), nullptr);  // still one publisher per name
}

// --- tracks: what a publish carries, and single-track metadata ---

TEST_F(StreamTest, TracksAreKnownAtTheFirstFrameNotBefore) {
  auto s = registry.stream_for_publisher(key);
  s->begin_publish({});
  s->publish(FrameKind::kData, 0, array_metadata());
  s->publish(FrameKind::kVideo, 0, avc(true, true));
  EXPECT_FALSE(s->tracks()) << "a sequence header alone does not tell the tracks";
  s->publish(FrameKind::kVideo, 0, avc(true));
  ASSERT_TRUE(s->tracks());
  EXPECT_TRUE(s->tracks()->video);
  EXPECT_FALSE(s->tracks()->audio);
  s->end_publish();
  s->begin_publish({});
  EXPECT_FALSE(s->tracks()) << "a new publish starts unknown";
}

TEST_F(StreamTest, AVideoOnlyPublishMarksItsMetadataAfterTheSequenceHeader) {
  auto s = registry.stream_for_publisher(key);
  auto early = std::make_shared<RecordingViewer>();
  auto watching_early = s->add_viewer(early);  // waits for the publisher
  s->begin_publish({});
  s->publish(FrameKind::kData, 0, array_metadata());
  s->publish(FrameKind::kVideo, 0, avc(true, true));
  s->publish(FrameKind::kVideo, 0, avc(true));
  // The waiting viewer got the metadata as sent, the header, then the
  // marked metadata just before the first frame.
  ASSERT_EQ(early->frames.size(), 4u);
  const auto& marked = early->frames[2];
  EXPECT_EQ(marked->kind(), FrameKind::kData);
  const std::string text(marked->payload().begin(), marked->payload().end());
  EXPECT_NE(text.find("audiocodecid"), std::string::npos);
  EXPECT_TRUE(early->frames[3]->is_keyframe());

  // A late joiner: header, marked metadata, then the GOP.
  auto late = std::make_shared<RecordingViewer>();
  auto watching_late = s->add_viewer(late);
  ASSERT_EQ(late->frames.size(), 3u);
  EXPECT_TRUE(late->frames[0]->is_sequence_header());
  EXPECT_EQ(late->frames[1].get(), marked.get());
  EXPECT_TRUE(late->frames[2]->is_keyframe());

  // Metadata sent again mid-publish keeps the mark.
  s->publish(FrameKind::kData, 40, array_metadata());
  const auto& again = late->frames.back();
  EXPECT_NE(std::string(again->payload().begin(), again->payload().end()).find("audiocodecid"),
            std::string::npos);
}

TEST_F(StreamTest, AnAudioAndVideoPublishKeepsItsMetadataAsSentAndFirst) {
  auto s = registry.stream_for_publisher(key);
  s->begin_publish({});
  const auto sent = array_metadata();
  s->publish(FrameKind::kData, 0, sent);
  s->publish(FrameKind::kVideo, 0, avc(true, true));
  s->publish(FrameKind::kAudio, 0, aac(true));
  s->publish(FrameKind::kVideo, 0, avc(true));
  auto viewer = std::make_shared<RecordingViewer>();
  auto watching = s->add_viewer(viewer);
  ASSERT_EQ(viewer->frames.size(), 4u);
  EXPECT_EQ(viewer->frames[0]->kind(), FrameKind::kData);
  EXPECT_TRUE(std::ranges::equal(viewer->frames[0]->payload(), sent));
}

}  // namespace
}  // namespace sluice::media
