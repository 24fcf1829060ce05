// Classic HLS segmenting: a real media::Stream feeds the segmenter the
// fixture's frames, GOP after GOP; the segments are checked for where they
// cut and read back by the real ffmpeg.
#include <gtest/gtest.h>

#include <array>
#include <boost/asio/io_context.hpp>
#include <cstdio>
#include <filesystem>
#include <fstream>

#include "external_tools.hpp"
#include "flv_file.hpp"
#include "hls/media_playlist.hpp"
#include "hls/ts_segmenter.hpp"
#include "media/registry.hpp"
#include "media/stream.hpp"
#include "media/subscriber.hpp"
#include "segmenter_fixture.hpp"

namespace sluice::hls {
namespace {

using namespace std::chrono_literals;
using media::FrameKind;

// The fixture is one GOP (a keyframe, then P frames and AAC) of about
// 300 ms; repeated every 400 ms.
constexpr uint32_t kGopMs = 400;

struct TsSegmenterTest : test::SegmenterFixture<TsSegmenter, SegmenterLimits, kGopMs> {};

TEST_F(TsSegmenterTest, SegmentsStartAtKeyframesAndFollowTheGop) {
  start({.target_duration = 800ms, .window_segments = 3});
  publish(0, 12);  // 4.8 s of 400 ms GOPs
  const auto& window = segmenter->segments();
  ASSERT_EQ(window.size(), 3u);
  // Cut at the first keyframe 800 ms after the start: two GOPs each.
  EXPECT_EQ(window.front().sequence, 2u);
  for (const auto& s : window) {
    EXPECT_EQ(s.duration, 800ms);
    EXPECT_FALSE(s.discontinuity);
    ASSERT_GT(s.bytes->size(), 2 * 188u);
    EXPECT_EQ(s.bytes->size() % 188, 0u);
    // Every segment opens with the PAT, so a player can start at any one.
    EXPECT_EQ((*s.bytes)[0], 0x47);
    EXPECT_EQ((*s.bytes)[1] & 0x1F, 0);
    EXPECT_EQ((*s.bytes)[2], 0);
  }
  EXPECT_EQ(segmenter->find(1), nullptr);  // evicted
  ASSERT_NE(segmenter->find(4), nullptr);
  EXPECT_EQ(segmenter->find(4)->sequence, 4u);
  EXPECT_EQ(segmenter->find(5), nullptr);  // the open one is not served
  EXPECT_EQ(segmenter->target_duration_s(), 1u);
}

TEST_F(TsSegmenterTest, ThePlaylistListsTheWindow) {
  start({.target_duration = 800ms, .window_segments = 3});
  publish(0, 12);
  const auto playlist = render_ts_playlist(*segmenter, "s-", "vhost=v", false);
  EXPECT_EQ(playlist.rfind("#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-TARGETDURATION:1\n"
                           "#EXT-X-MEDIA-SEQUENCE:2\n#EXT-X-PROGRAM-DATE-TIME:",
                           0),
            0u)
      << playlist;
  EXPECT_NE(playlist.find("#EXTINF:0.800,\ns-2.ts?vhost=v\n#EXTINF:0.800,\ns-3.ts?vhost=v\n"
                          "#EXTINF:0.800,\ns-4.ts?vhost=v\n"),
            std::string::npos)
      << playlist;
  EXPECT_EQ(playlist.find("ENDLIST"), std::string::npos);
  EXPECT_NE(render_ts_playlist(*segmenter, "s-", "", true).find("#EXT-X-ENDLIST\n"),
            std::string::npos);
}

TEST_F(TsSegmenterTest, FfmpegDecodesTheWindowPlayedBackToBack) {
  start({.target_duration = 800ms, .window_segments = 10});
  publish(0, 12);
  const auto path =
      std::filesystem::temp_directory_path() / ("sluice-hls-" + std::to_string(::getpid()) + ".ts");
  size_t segments = 0;
  {
    std::ofstream file(path, std::ios::binary);
    for (const auto& s : segmenter->segments()) {
      file.write(reinterpret_cast<const char*>(s.bytes->data()),
                 static_cast<std::streamsize>(s.bytes->size()));
      ++segments;
    }
  }
  ASSERT_EQ(segments, 5u);  // the sixth is still open
  const auto errors = test::ffmpeg_decode_errors(path.string());
  const auto frames = test::run_command(
      "ffprobe -v error -select_streams v -count_frames -show_entries "
      "stream=nb_read_frames -of csv=p=0 '" +
      path.string() + "' 2>&1");
  std::filesystem::remove(path);
  EXPECT_EQ(errors, "");
  EXPECT_EQ(std::stoul(frames), 10 * video_per_gop()) << frames;
}

TEST_F(TsSegmenterTest, ARepublishIsADiscontinuityCountedWhenItLeaves) {
  start({.target_duration = 800ms, .window_segments = 3});
  auto viewer = std::make_shared<test::IdleViewer>();
  auto watching = stream->add_viewer(viewer);
  publish(0, 4);
  stream->end_publish();  // closes the open segment
  ASSERT_EQ(segmenter->segments().size(), 2u);
  ASSERT_EQ(registry.stream_for_publisher(key), stream);  // within the grace
  stream->begin_publish({});
  publish(90000, 4);  // a new publisher, its own clock
  const auto& window = segmenter->segments();
  ASSERT_EQ(window.size(), 3u);
  EXPECT_TRUE(window.back().discontinuity);
  EXPECT_NE(render_ts_playlist(*segmenter, "", "", false)
                .find("#EXT-X-DISCONTINUITY\n#EXT-X-PROGRAM-DATE-TIME:"),
            std::string::npos);
  EXPECT_EQ(segmenter->discontinuity_sequence(), 0u);
  publish(92000, 8);
  EXPECT_FALSE(window.front().discontinuity);
  EXPECT_EQ(segmenter->discontinuity_sequence(), 1u);
  EXPECT_NE(render_ts_playlist(*segmenter, "", "", false).find("#EXT-X-DISCONTINUITY-SEQUENCE:1\n"),
            std::string::npos);
}

TEST_F(TsSegmenterTest, AnAudioOnlyStreamIsCutOnAudio) {
  start({.target_duration = 800ms, .window_segments = 10});
  publish(0, 12, /*audio=*/true, /*video=*/false);
  ASSERT_GE(segmenter->segments().size(), 4u);
  for (const auto& s : segmenter->segments()) {
    EXPECT_GE(s.duration, 800ms);
    EXPECT_LT(s.duration, 900ms);
  }
}

TEST_F(TsSegmenterTest, TheWindowStaysUnderItsByteLimit) {
  start({.target_duration = 400ms, .window_segments = 100, .window_bytes = 6000});
  publish(0, 40);
  EXPECT_LE(segmenter->window_bytes(), 6000u);
  EXPECT_GE(segmenter->segments().size(), 1u);
  uint64_t sum = 0;
  for (const auto& s : segmenter->segments()) sum += s.bytes->size();
  EXPECT_EQ(sum, segmenter->window_bytes());
}

TEST_F(TsSegmenterTest, WaitersAreWokenByTheNextSegment) {
  start({.target_duration = 800ms, .window_segments = 3});
  int woken = 0;
  segmenter->when_next_segment([&] { ++woken; });
  publish(0, 2);  // one open segment, none complete
  EXPECT_EQ(woken, 0);
  publish(800, 1);
  EXPECT_EQ(woken, 1);
  publish(1200, 4);
  EXPECT_EQ(woken, 1);  // once
}

}  // namespace
}  // namespace sluice::hls
