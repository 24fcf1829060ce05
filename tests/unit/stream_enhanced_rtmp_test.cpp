// A stream published in Enhanced RTMP: the 'hvc1' SequenceStart becomes the
// stream's HEVC configuration, the GOP cache restarts at enhanced keyframes
// (not at a Metadata packet flagged as key), and a codec sluice does not
// parse ('av01') is still relayed, its keyframes found, its config null.
#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>

#include "fixtures.hpp"
#include "media/registry.hpp"
#include "media/stream.hpp"

namespace sluice::media {
namespace {

Bytes ex(uint8_t first, const char* fourcc, const Bytes& rest = {}) {
  Bytes out(5 + rest.size());
  out[0] = first;
  std::copy_n(fourcc, 4, out.begin() + 1);
  std::ranges::copy(rest, out.begin() + 5);
  return out;
}

Bytes hvcc() {
  const std::string record = test::read_fixture_text("codec/h265-main-160x90.hvcC");
  return {record.begin(), record.end()};
}

const Bytes kSlice{0, 0, 0, 3, 0x26, 0x01, 0xAF};
// ExVideoTagHeader first bytes: IsExHeader | FrameType << 4 | PacketType.
constexpr uint8_t kSequenceStart = 0x90, kKeyCodedFrames = 0x91, kInterCodedFramesX = 0xA3,
                  kKeyMetadata = 0x94;

struct Recorder : Subscriber {
  std::vector<FramePtr> frames;
  void on_frame(const FramePtr& f) override { frames.push_back(f); }
  void on_publisher_joined() override {}
  void on_publisher_left() override {}
  void on_stream_closed() override {}
};

struct StreamEnhancedRtmpTest : ::testing::Test {
  boost::asio::io_context io;
  config::MediaConfig cfg;
  Registry registry{io.get_executor(), cfg};
  StreamKey key{"v", "live", "hevc"};
};

TEST_F(StreamEnhancedRtmpTest, HevcConfigAndGopCacheFromEnhancedKeyframes) {
  auto s = registry.stream_for_publisher(key);
  s->begin_publish({});
  s->publish(FrameKind::kVideo, 0, ex(kSequenceStart, "hvc1", hvcc()));
  ASSERT_TRUE(s->video_config());
  EXPECT_EQ(s->video_config()->codec, codec::VideoCodec::kHevc);
  ASSERT_TRUE(s->video_config()->picture());
  EXPECT_EQ(s->video_config()->picture()->size, (codec::PictureSize{160, 90}));

  Bytes key_frame{0x00, 0x00, 0x50};  // composition time +80 ms
  key_frame.insert(key_frame.end(), kSlice.begin(), kSlice.end());
  s->publish(FrameKind::kVideo, 0, ex(kKeyCodedFrames, "hvc1", key_frame));
  s->publish(FrameKind::kVideo, 40, ex(kInterCodedFramesX, "hvc1", kSlice));
  s->publish(FrameKind::kVideo, 1000, ex(kKeyCodedFrames, "hvc1", key_frame));
  s->publish(FrameKind::kVideo, 1040, ex(kInterCodedFramesX, "hvc1", kSlice));
  // Colour metadata flagged as key: not where a decoder can start.
  s->publish(FrameKind::kVideo, 1060, ex(kKeyMetadata, "hvc1", {0x02, 0x00, 0x00}));
  s->publish(FrameKind::kVideo, 1080, ex(kInterCodedFramesX, "hvc1", kSlice));

  auto viewer = std::make_shared<Recorder>();
  auto watching = s->add_viewer(viewer);
  ASSERT_EQ(viewer->frames.size(), 5u);
  EXPECT_TRUE(viewer->frames[0]->is_sequence_header());
  EXPECT_TRUE(viewer->frames[1]->is_keyframe());
  EXPECT_EQ(viewer->frames[1]->timestamp(), 1000u);
  EXPECT_EQ(viewer->frames[1]->pts(), 1080);
  EXPECT_EQ(viewer->frames[1]->payload()[0], kKeyCodedFrames);  // relayed as sent
  EXPECT_EQ(viewer->frames[3]->payload()[0], kKeyMetadata);
}

TEST_F(StreamEnhancedRtmpTest, UnparsedFourCcIsRelayedWithoutAConfig) {
  auto s = registry.stream_for_publisher(key);
  s->begin_publish({});
  s->publish(FrameKind::kVideo, 0, ex(kSequenceStart, "av01", {0x81, 0x00, 0x0C, 0x00}));
  EXPECT_FALSE(s->video_config());
  s->publish(FrameKind::kVideo, 0, ex(kKeyCodedFrames, "av01", {0x12, 0x00}));
  s->publish(FrameKind::kVideo, 40, ex(kInterCodedFramesX, "av01", {0x12, 0x00}));

  auto viewer = std::make_shared<Recorder>();
  auto watching = s->add_viewer(viewer);
  ASSERT_EQ(viewer->frames.size(), 3u);
  EXPECT_TRUE(viewer->frames[0]->is_sequence_header());
  EXPECT_FALSE(viewer->frames[0]->video_config());
  EXPECT_TRUE(viewer->frames[1]->is_keyframe());
}

}  // namespace
}  // namespace sluice::media
