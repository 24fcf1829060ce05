// Stream-owned outputs (media::StreamOutput), the RAII guards that attach
// viewers and outputs, frames' DTS/PTS, and the decoder configurations a
// stream parses from its sequence headers.
#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>

#include "flv_file.hpp"
#include "media/registry.hpp"
#include "media/stream.hpp"

namespace sluice::media {
namespace {

Bytes avc(bool key, int32_t composition_offset = 0) {
  const auto cts = static_cast<uint32_t>(composition_offset) & 0xFFFFFF;
  return Bytes{static_cast<uint8_t>(key ? 0x17 : 0x27),
               1,
               static_cast<uint8_t>(cts >> 16),
               static_cast<uint8_t>(cts >> 8),
               static_cast<uint8_t>(cts),
               0xAA};
}
Bytes aac() {
  return Bytes{0xAF, 1, 0x21};
}
Bytes metadata() {
  return Bytes{0x02, 0x00, 0x0A, 'o', 'n', 'M', 'e', 't', 'a', 'D', 'a', 't', 'a', 0x05};
}
Bytes fixture_header(uint8_t tag_type) {
  return test::first_sequence_header(test::read_flv_fixture("codec/h264-high-bframes-aac-lc.flv"),
                                     tag_type);
}

// Records what a stream tells it, as a segmenter would see it.
struct RecordingOutput : StreamOutput {
  std::vector<std::string> events;
  std::vector<FramePtr> frames;
  VideoConfigPtr video_at_start;
  AudioConfigPtr audio_at_start;
  std::function<void()> on_each_frame;

  void on_publish_start(const Stream& stream) override {
    events.push_back("start");
    video_at_start = stream.video_config();
    audio_at_start = stream.audio_config();
  }
  void on_frame(const FramePtr& f) override {
    frames.push_back(f);
    events.push_back(f->kind() == FrameKind::kData ? "data"
                     : f->is_sequence_header()     ? (f->is_video() ? "vhdr" : "ahdr")
                     : f->is_keyframe()            ? "key"
                     : f->is_video()               ? "video"
                                                   : "audio");
    if (on_each_frame) on_each_frame();
  }
  void on_publish_end() override { events.push_back("end"); }
};

struct CountingViewer : Subscriber {
  size_t frames = 0;
  void on_frame(const FramePtr&) override { ++frames; }
  void on_publisher_joined() override {}
  void on_publisher_left() override {}
  void on_stream_closed() override {}
};

using Events = std::vector<std::string>;

struct StreamOutputTest : ::testing::Test {
  boost::asio::io_context io;
  config::MediaConfig cfg;
  Registry registry{io.get_executor(), cfg};
  StreamKey key{"v", "live", "s"};

  void publish_headers(Stream& s) {
    s.publish(FrameKind::kData, 0, metadata());
    s.publish(FrameKind::kVideo, 0, fixture_header(9));
    s.publish(FrameKind::kAudio, 0, fixture_header(8));
  }
  void publish_gop(Stream& s, uint32_t start) {
    s.publish(FrameKind::kVideo, start, avc(true));
    s.publish(FrameKind::kAudio, start + 10, aac());
    s.publish(FrameKind::kVideo, start + 40, avc(false));
  }
};

TEST_F(StreamOutputTest, AttachedBeforePublishGetsEverythingInOrderThenTheEnd) {
  auto s = registry.stream_for_viewer(key);
  auto output = std::make_shared<RecordingOutput>();
  auto attached = s->attach_output(output);
  auto publishing = registry.stream_for_publisher(key);
  ASSERT_EQ(publishing, s);
  s->begin_publish({});
  s->publish(FrameKind::kAudio, 0, aac());  // before any keyframe: still given to outputs
  publish_headers(*s);
  publish_gop(*s, 0);
  publish_gop(*s, 2000);
  s->end_publish();
  EXPECT_EQ(output->events, (Events{"start", "audio", "data", "vhdr", "ahdr", "key", "audio",
                                    "video", "key", "audio", "video", "end"}));
  // The sequence headers came with their parsed configurations.
  ASSERT_TRUE(output->frames[2]->video_config());
  EXPECT_EQ(output->frames[2]->video_config()->picture()->size, (codec::PictureSize{160, 90}));
  ASSERT_TRUE(output->frames[3]->audio_config());
  EXPECT_EQ(output->frames[3]->audio_config()->aac.sampling_frequency, 48000u);
}

TEST_F(StreamOutputTest, LateOutputStartsFromTheCacheWithCurrentConfigs) {
  auto s = registry.stream_for_publisher(key);
  s->begin_publish({});
  publish_headers(*s);
  publish_gop(*s, 0);
  publish_gop(*s, 2000);  // the GOP cache restarts here
  auto output = std::make_shared<RecordingOutput>();
  auto attached = s->attach_output(output);
  EXPECT_EQ(output->events, (Events{"start", "data", "vhdr", "ahdr", "key", "audio", "video"}));
  EXPECT_EQ(output->frames[3]->dts(), 2000u);
  // No need to wait for the next sequence header: the stream kept them.
  ASSERT_TRUE(output->video_at_start);
  EXPECT_EQ(output->video_at_start, s->video_config());
  EXPECT_EQ(output->video_at_start->codec, codec::VideoCodec::kAvc);
  ASSERT_TRUE(output->audio_at_start);
  EXPECT_EQ(output->audio_at_start->aac.channel_configuration, 2);
}

TEST_F(StreamOutputTest, OutputsAreNotViewersAndDoNotKeepAStreamAlive) {
  auto s = registry.stream_for_publisher(key);
  s->begin_publish({});
  auto output = std::make_shared<RecordingOutput>();
  auto attached = s->attach_output(output);
  EXPECT_EQ(s->viewer_count(), 0u);
  EXPECT_EQ(s->output_count(), 1u);
  s->end_publish();
  // No publisher and no viewers: the stream is gone from the registry at
  // once, as it would be without the output (no grace period either).
  EXPECT_EQ(registry.find(key), nullptr);
  EXPECT_EQ(output->events.back(), "end");
  // The guard outliving its stream is harmless.
  s.reset();
  attached.reset();
  EXPECT_FALSE(attached.attached());
}

TEST_F(StreamOutputTest, OutputsFollowARepublishAndGetFramesWithoutGopCache) {
  cfg.gop_cache = false;
  auto s = registry.stream_for_publisher(key);
  auto viewer = std::make_shared<CountingViewer>();
  auto watching = s->add_viewer(viewer);  // keeps the stream through the grace period
  auto output = std::make_shared<RecordingOutput>();
  auto attached = s->attach_output(output);
  s->begin_publish({});
  publish_gop(*s, 0);
  s->end_publish();
  s->begin_publish({});
  publish_gop(*s, 0);
  EXPECT_EQ(output->events,
            (Events{"start", "key", "audio", "video", "end", "start", "key", "audio", "video"}));
}

TEST_F(StreamOutputTest, GuardDetachesAndAnOutputMayLeaveWhileBeingTold) {
  auto s = registry.stream_for_publisher(key);
  s->begin_publish({});
  auto stays = std::make_shared<RecordingOutput>();
  auto stays_attached = s->attach_output(stays);
  auto leaves = std::make_shared<RecordingOutput>();
  auto leaves_attached = s->attach_output(leaves);
  leaves->on_each_frame = [&] { leaves_attached.reset(); };
  publish_gop(*s, 0);
  EXPECT_EQ(leaves->frames.size(), 1u);
  EXPECT_EQ(stays->frames.size(), 3u);
  EXPECT_EQ(s->output_count(), 1u);
  stays_attached.reset();
  s->publish(FrameKind::kVideo, 80, avc(false));
  EXPECT_EQ(stays->frames.size(), 3u);
  EXPECT_EQ(s->output_count(), 0u);
}

TEST_F(StreamOutputTest, ViewerGuardRemovesTheViewerOnEveryExitPath) {
  auto s = registry.stream_for_viewer(key);
  auto viewer = std::make_shared<CountingViewer>();
  {
    auto watching = s->add_viewer(viewer);
    EXPECT_EQ(s->viewer_count(), 1u);
    // Moved into a new owner: still one attachment, released once.
    StreamAttachment moved = std::move(watching);
    EXPECT_FALSE(watching.attached());
    EXPECT_TRUE(moved.attached());
  }  // e.g. a session coroutine unwinding on an exception
  EXPECT_EQ(s->viewer_count(), 0u);
  // The last viewer leaving a stream with no publisher unregisters it.
  EXPECT_EQ(registry.find(key), nullptr);
}

TEST(FrameTime, DtsCompositionOffsetAndPts) {
  Frame b_ref(FrameKind::kVideo, 1000, avc(false, 80));
  EXPECT_EQ(b_ref.dts(), 1000u);
  EXPECT_EQ(b_ref.timestamp(), 1000u);
  EXPECT_EQ(b_ref.composition_offset(), 80);
  EXPECT_EQ(b_ref.pts(), 1080);
  Frame negative(FrameKind::kVideo, 1000, avc(false, -40));
  EXPECT_EQ(negative.composition_offset(), -40);
  EXPECT_EQ(negative.pts(), 960);
  Frame audio(FrameKind::kAudio, 1000, Bytes{0xAF, 0x01, 0x00, 0x00, 0x50});
  EXPECT_EQ(audio.composition_offset(), 0);
  EXPECT_EQ(audio.pts(), 1000);
  Frame vp6(FrameKind::kVideo, 5, Bytes{0x14, 0x00, 0x00, 0x00, 0x50});
  EXPECT_EQ(vp6.composition_offset(), 0);
  EXPECT_EQ(vp6.pts(), 5);
}

TEST_F(StreamOutputTest, RecordedBFramesKeepTheirOffsetsAndBytes) {
  auto tags = test::read_flv_fixture("codec/h264-high-bframes-aac-lc.flv");
  auto s = registry.stream_for_publisher(key);
  s->begin_publish({});
  auto output = std::make_shared<RecordingOutput>();
  auto attached = s->attach_output(output);
  size_t video = 0;
  for (const auto& t : tags) {
    if (t.type != 8 && t.type != 9) continue;
    s->publish(static_cast<FrameKind>(t.type), t.timestamp, t.body);
    const auto& f = output->frames.back();
    EXPECT_TRUE(std::ranges::equal(f->payload(), t.body)) << "bytes are passed on as sent";
    if (t.type == 9 && !f->is_sequence_header()) {
      ++video;
      EXPECT_EQ(f->composition_offset(), codec::composition_offset_of(t.body));
      EXPECT_GE(f->pts(), static_cast<int64_t>(f->dts()));
    }
  }
  EXPECT_GE(video, 3u);
}

TEST_F(StreamOutputTest, ConfigsParsedOncePerHeaderAndResetByANewPublisher) {
  auto s = registry.stream_for_publisher(key);
  s->begin_publish({});
  auto output = std::make_shared<RecordingOutput>();
  auto attached = s->attach_output(output);
  s->publish(FrameKind::kVideo, 0, fixture_header(9));
  const auto first = s->video_config();
  ASSERT_TRUE(first);
  s->publish(FrameKind::kVideo, 40, fixture_header(9));  // repeated unchanged
  EXPECT_EQ(s->video_config(), first) << "the same bytes are not parsed again";
  EXPECT_EQ(output->frames.back()->video_config(), first);

  // A header that does not parse: passed on as sent, without a config.
  const Bytes broken{0x17, 0x00, 0x00, 0x00, 0x00, 0x01, 0x64};
  s->publish(FrameKind::kVideo, 80, broken);
  EXPECT_EQ(s->video_config(), nullptr);
  EXPECT_TRUE(output->frames.back()->is_sequence_header());
  EXPECT_EQ(output->frames.back()->video_config(), nullptr);
  EXPECT_TRUE(std::ranges::equal(output->frames.back()->payload(), broken));

  s->publish(FrameKind::kAudio, 80, fixture_header(8));
  ASSERT_TRUE(s->audio_config());
  s->end_publish();
  s->begin_publish({});
  EXPECT_EQ(s->video_config(), nullptr);
  EXPECT_EQ(s->audio_config(), nullptr);
}

}  // namespace
}  // namespace sluice::media
