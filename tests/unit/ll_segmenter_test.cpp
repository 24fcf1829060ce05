// LL-HLS segmenting: a real media::Stream feeds the segmenter the fixture's
// frames, GOP after GOP; parts and segments are checked for where they cut
// and read back by the real ffmpeg, and the playlist is rendered from them.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <array>
#include <boost/asio/io_context.hpp>
#include <cstdio>
#include <filesystem>
#include <fstream>

#include "external_tools.hpp"
#include "flv_file.hpp"
#include "hls/ll_playlist.hpp"
#include "hls/ll_segmenter.hpp"
#include "media/registry.hpp"
#include "media/stream.hpp"
#include "media/subscriber.hpp"
#include "segmenter_fixture.hpp"

namespace sluice::hls {
namespace {

using namespace std::chrono_literals;
using media::FrameKind;

// The fixture is one GOP (a keyframe, then P frames and AAC) of 10 fps
// video over 300 ms; repeated every 300 ms, so frames stay evenly spaced
// (its last audio frame, which would overlap the next GOP, is left out).
constexpr uint32_t kGopMs = 300;

struct LlSegmenterTest : test::SegmenterFixture<LlSegmenter, LlLimits, kGopMs> {};

size_t count(const std::string& text, const std::string& what) {
  size_t n = 0;
  for (size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

TEST_F(LlSegmenterTest, PartsStayUnderTheTargetAndSegmentsStartAtKeyframes) {
  start({.target_duration = 600ms, .part_target = 200ms, .window_segments = 3});
  publish(0, 12);  // 3.6 s of 300 ms GOPs
  const auto& window = segmenter->segments();
  ASSERT_EQ(window.size(), 3u);
  EXPECT_EQ(window.front().sequence, 2u);
  for (const auto& s : window) {
    EXPECT_EQ(s.duration, 600ms);
    EXPECT_FALSE(s.discontinuity);
    // 100 ms frames: parts of two frames.
    ASSERT_EQ(s.parts.size(), 3u);
    EXPECT_TRUE(s.parts.front().independent);
    auto sum = 0ms;
    uint64_t bytes = 0;
    for (const auto& p : s.parts) {
      EXPECT_LE(p.duration, 200ms);
      EXPECT_GT(p.duration, 0ms);
      sum += p.duration;
      bytes += p.bytes->size();
      // moof first: a part is a fragment of its own.
      EXPECT_EQ(std::string(p.bytes->begin() + 4, p.bytes->begin() + 8), "moof");
    }
    EXPECT_EQ(sum, s.duration);
    EXPECT_EQ(bytes, s.bytes);
  }
  // Only the part starting at a keyframe is independent (the next keyframe
  // falls inside the second part).
  EXPECT_FALSE(window.back().parts[1].independent);
  EXPECT_FALSE(window.back().parts[2].independent);
  ASSERT_NE(segmenter->open_segment(), nullptr);
  EXPECT_EQ(segmenter->edge().msn, 5u);
  EXPECT_EQ(segmenter->find_segment(1), nullptr);  // evicted
  EXPECT_EQ(segmenter->find_segment(5), nullptr);  // still open
  EXPECT_NE(segmenter->find_part(4, 0), nullptr);
  EXPECT_EQ(segmenter->find_part(4, 99), nullptr);
  EXPECT_NE(segmenter->find_init(1), nullptr);
  EXPECT_EQ(segmenter->codecs(), "avc1.42c00a,mp4a.40.2");
  EXPECT_EQ(segmenter->target_duration_s(), 1u);
}

TEST_F(LlSegmenterTest, TheFirstPartIsFullWhateverTheClockStartsAt) {
  // Joining a stream already minutes in: the time before its first frame is
  // no frame interval.
  start({.target_duration = 600ms, .part_target = 200ms, .window_segments = 3});
  publish(600000, 4);
  ASSERT_FALSE(segmenter->segments().empty());
  for (const auto& p : segmenter->segments().front().parts) EXPECT_EQ(p.duration, 200ms);
}

TEST_F(LlSegmenterTest, FfmpegDecodesTheInitThenEverySegmentsParts) {
  start({.target_duration = 600ms, .part_target = 200ms, .window_segments = 10});
  publish(0, 12);
  const auto path =
      std::filesystem::temp_directory_path() / ("sluice-ll-" + std::to_string(::getpid()) + ".mp4");
  {
    std::ofstream file(path, std::ios::binary);
    auto put = [&](const media::Bytes& b) {
      file.write(reinterpret_cast<const char*>(b.data()), static_cast<std::streamsize>(b.size()));
    };
    put(*segmenter->find_init(1));
    for (const auto& s : segmenter->segments())
      for (const auto& p : s.parts) put(*p.bytes);
  }
  ASSERT_EQ(segmenter->segments().size(), 5u);  // the sixth is still open
  const auto errors = test::ffmpeg_decode_errors(path.string());
  const auto frames = test::run_command(
      "ffprobe -v error -select_streams v -count_frames -show_entries "
      "stream=nb_read_frames -of csv=p=0 '" +
      path.string() + "' 2>&1");
  std::filesystem::remove(path);
  EXPECT_EQ(errors, "");
  EXPECT_EQ(std::stoul(frames), 10 * video_per_gop()) << frames;
}

TEST_F(LlSegmenterTest, ThePlaylistListsPartsAndHintsTheNextOne) {
  start({.target_duration = 600ms, .part_target = 200ms, .window_segments = 3});
  publish(0, 12);
  const auto playlist = render_ll_playlist(*segmenter, {.name = "s", .uri_query = "hls_ctx=x"});
  EXPECT_EQ(playlist.rfind("#EXTM3U\n#EXT-X-VERSION:9\n#EXT-X-TARGETDURATION:1\n"
                           "#EXT-X-SERVER-CONTROL:CAN-BLOCK-RELOAD=YES,PART-HOLD-BACK=0.600,"
                           "CAN-SKIP-UNTIL=6.0\n#EXT-X-PART-INF:PART-TARGET=0.200\n",
                           0),
            0u)
      << playlist;
  EXPECT_NE(playlist.find("#EXT-X-MEDIA-SEQUENCE:2\n#EXT-X-MAP:URI=\"s.init1.mp4?hls_ctx=x\"\n"
                          "#EXT-X-PROGRAM-DATE-TIME:"),
            std::string::npos)
      << playlist;
  EXPECT_NE(playlist.find("#EXT-X-PART:DURATION="), std::string::npos);
  EXPECT_NE(playlist.find(",URI=\"s.4_0.m4s?hls_ctx=x\",INDEPENDENT=YES\n"), std::string::npos)
      << playlist;
  EXPECT_NE(playlist.find("#EXTINF:0.600,\ns.4.m4s?hls_ctx=x\n"), std::string::npos) << playlist;
  EXPECT_EQ(count(playlist, "#EXTINF:"), 3u);
  // Every part of the three segments and of the open one is listed.
  size_t parts = segmenter->open_segment()->parts.size();
  for (const auto& s : segmenter->segments()) parts += s.parts.size();
  EXPECT_EQ(count(playlist, "#EXT-X-PART:"), parts);
  const auto edge = segmenter->edge();
  EXPECT_TRUE(
      playlist.ends_with(fmt::format("#EXT-X-PRELOAD-HINT:TYPE=PART,URI=\"s.{}_{}.m4s?hls_"
                                     "ctx=x\"\n",
                                     edge.msn, edge.part)))
      << playlist;
  EXPECT_EQ(playlist.find("ENDLIST"), std::string::npos);
  const auto ended =
      render_ll_playlist(*segmenter, {.name = "s", .uri_query = "", .skip = false, .ended = true});
  EXPECT_TRUE(ended.ends_with("#EXT-X-ENDLIST\n"));
  EXPECT_EQ(ended.find("PRELOAD-HINT"), std::string::npos);
}

TEST_F(LlSegmenterTest, ADeltaUpdateSkipsAllButTheLastSixTargetDurations) {
  start({.target_duration = 600ms, .part_target = 200ms, .window_segments = 15});
  publish(0, 40);  // 19 segments of 0.6 s; 15 kept (9 s); skip boundary 6 s
  ASSERT_EQ(segmenter->segments().size(), 15u);
  // 6 s back from the end (the open segment's 0.2 s of parts count): 10 kept.
  const size_t skipped = skippable_segments(*segmenter);
  EXPECT_EQ(skipped, 5u);
  const auto full =
      render_ll_playlist(*segmenter, {.name = "s", .uri_query = "", .skip = false, .ended = false});
  const auto delta = render_ll_playlist(*segmenter, {.name = "s", .uri_query = "", .skip = true});
  EXPECT_EQ(full.find("EXT-X-SKIP"), std::string::npos);
  EXPECT_NE(delta.find(fmt::format("#EXT-X-SKIP:SKIPPED-SEGMENTS={}\n", skipped)),
            std::string::npos)
      << delta;
  EXPECT_EQ(count(delta, "#EXTINF:") + skipped, count(full, "#EXTINF:"));
  // The media sequence still names the first segment, skipped or not.
  EXPECT_NE(delta.find("#EXT-X-MEDIA-SEQUENCE:4\n"), std::string::npos) << delta;
  EXPECT_EQ(delta.find("s.4.m4s"), std::string::npos);
  // Parts only for the last three target durations.
  EXPECT_EQ(full.find("s.4_0.m4s"), std::string::npos);
}

// The cache gives every viewer exactly what rendering for it would, with its
// own query (or none), follows the segmenter as parts are cut, and keeps a
// full playlist apart from a delta update.
TEST_F(LlSegmenterTest, TheCachedPlaylistIsTheRenderedOneWithEachViewersQuery) {
  start({.target_duration = 600ms, .part_target = 200ms, .window_segments = 15});
  publish(0, 40);
  LlPlaylistCache cache;
  for (const bool skip : {false, true, false}) {
    for (std::string_view query : {"hls_ctx=aaaa", "", "hls_ctx=b&volcTime=1&volcSecret=x"}) {
      const LlPlaylistOptions options{.name = "s", .uri_query = query, .skip = skip};
      EXPECT_EQ(cache.render(segmenter, options), render_ll_playlist(*segmenter, options))
          << "query " << query << " skip " << skip;
    }
  }
  const LlPlaylistOptions viewer{.name = "s", .uri_query = "hls_ctx=c"};
  const auto before = cache.render(segmenter, viewer);
  publish(40 * kGopMs, 3);  // more parts: the cached playlist must follow
  const auto after = cache.render(segmenter, viewer);
  EXPECT_NE(after, before);
  EXPECT_EQ(after, render_ll_playlist(*segmenter, viewer));
  // Another stream's segmenter is never served this one's playlist.
  auto other = std::make_shared<LlSegmenter>(segmenter->limits());
  EXPECT_EQ(cache.render(other, viewer), render_ll_playlist(*other, viewer));
}

TEST_F(LlSegmenterTest, ARepublishIsADiscontinuityWithANewInitSection) {
  start({.target_duration = 600ms, .part_target = 200ms, .window_segments = 5});
  auto viewer = std::make_shared<test::IdleViewer>();
  auto watching = stream->add_viewer(viewer);
  publish(0, 4);
  stream->end_publish();  // closes the open segment
  ASSERT_EQ(segmenter->segments().size(), 2u);
  EXPECT_EQ(segmenter->open_segment(), nullptr);
  stream->begin_publish({});
  publish(90000, 4);
  const auto& window = segmenter->segments();
  ASSERT_EQ(window.size(), 3u);
  EXPECT_TRUE(window.back().discontinuity);
  EXPECT_EQ(window.back().init_generation, 2u);
  EXPECT_NE(segmenter->find_init(1), nullptr);  // still decodes the first two
  const auto playlist =
      render_ll_playlist(*segmenter, {.name = "s", .uri_query = "", .skip = false, .ended = false});
  EXPECT_NE(playlist.find("#EXT-X-DISCONTINUITY\n#EXT-X-MAP:URI=\"s.init2.mp4\"\n"),
            std::string::npos)
      << playlist;
  publish(92000, 12);
  EXPECT_EQ(segmenter->discontinuity_sequence(), 1u);
  EXPECT_EQ(segmenter->find_init(1), nullptr);  // no segment needs it any more
}

TEST_F(LlSegmenterTest, AnAudioOnlyStreamIsCutOnAudio) {
  start({.target_duration = 800ms, .part_target = 200ms, .window_segments = 10});
  publish(0, 12, /*audio=*/true, /*video=*/false);
  ASSERT_GE(segmenter->segments().size(), 4u);
  EXPECT_EQ(segmenter->codecs(), "mp4a.40.2");
  for (const auto& s : segmenter->segments()) {
    EXPECT_GE(s.duration, 800ms);
    EXPECT_LT(s.duration, 900ms);
    for (const auto& p : s.parts) EXPECT_TRUE(p.independent);
  }
}

TEST_F(LlSegmenterTest, TheWindowStaysUnderItsByteLimit) {
  start({.target_duration = 400ms,
         .part_target = 200ms,
         .window_segments = 100,
         .window_bytes = 6000});
  publish(0, 40);
  // Under the limit, or down to the newest complete segment.
  EXPECT_TRUE(segmenter->window_bytes() <= 6000u || segmenter->segments().size() == 1u);
  uint64_t sum = segmenter->open_segment()->bytes;
  for (const auto& s : segmenter->segments()) sum += s.bytes;
  EXPECT_EQ(sum, segmenter->window_bytes());
  EXPECT_LT(segmenter->segments().size(), 10u);
}

TEST_F(LlSegmenterTest, WaitersAreWokenByEveryPart) {
  start({.target_duration = 800ms, .part_target = 200ms, .window_segments = 3});
  publish(0, 1);  // the first GOP: its parts up to the last frame
  int woken = 0;
  const auto before = segmenter->edge();
  segmenter->when_next_part([&] { ++woken; });
  publish(kGopMs, 1);
  EXPECT_EQ(woken, 1);
  EXPECT_GT(segmenter->edge().part, before.part);
}

}  // namespace
}  // namespace sluice::hls
