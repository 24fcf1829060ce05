// fMP4 (CMAF) init sections and fragments: structure checked box by box,
// then the fixture's GOPs as fragments read back by the real ffprobe/ffmpeg.
#include <gtest/gtest.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>

#include "external_tools.hpp"
#include "flv_file.hpp"
#include "fmp4/fragment.hpp"
#include "fmp4/init_segment.hpp"
#include "media/codec/codec_config.hpp"

namespace sluice::fmp4 {
namespace {

using media::Frame;
using media::FrameKind;

// The boxes at the top level of `bytes`: (type, size).
std::vector<std::pair<std::string, uint32_t>> top_boxes(const std::vector<uint8_t>& bytes) {
  std::vector<std::pair<std::string, uint32_t>> boxes;
  for (size_t at = 0; at + 8 <= bytes.size();) {
    const uint32_t size = uint32_t{bytes[at]} << 24 | uint32_t{bytes[at + 1]} << 16 |
                          uint32_t{bytes[at + 2]} << 8 | bytes[at + 3];
    boxes.emplace_back(std::string(bytes.begin() + at + 4, bytes.begin() + at + 8), size);
    if (size < 8) break;
    at += size;
  }
  return boxes;
}

struct Fixture {
  std::vector<test::FlvTag> tags;
  media::FramePtr video_header, audio_header;
  std::vector<media::FramePtr> frames;  // coded frames, in order
};

Fixture load(const std::string& name) {
  Fixture f;
  f.tags = test::read_flv_fixture(name);
  for (const auto& t : f.tags) {
    if (t.type != 8 && t.type != 9) continue;
    const bool header = t.body.size() > 1 && t.body[1] == 0;
    if (header && t.type == 9 && !f.video_header) {
      media::FrameConfig c;
      c.video = std::make_shared<media::codec::VideoConfig>(
          std::move(media::codec::parse_video_config(t.body)).take());
      f.video_header = std::make_shared<Frame>(FrameKind::kVideo, 0, t.body, c);
    } else if (header && t.type == 8 && !f.audio_header) {
      media::FrameConfig c;
      c.audio = std::make_shared<media::codec::AudioConfig>(
          std::move(media::codec::parse_audio_config(t.body)).take());
      f.audio_header = std::make_shared<Frame>(FrameKind::kAudio, 0, t.body, c);
    } else if (!header) {
      Frame frame(static_cast<FrameKind>(t.type), t.timestamp, t.body);
      if (!sample_data(frame)) continue;  // the end-of-sequence marker
      f.frames.push_back(
          std::make_shared<Frame>(static_cast<FrameKind>(t.type), t.timestamp, t.body));
    }
  }
  return f;
}

// One track's samples of one GOP copy starting at `offset_ms`, lasting `gop_ms`.
TrackRun run_of(const Fixture& f, bool video, uint64_t offset_ms, uint64_t gop_ms,
                uint32_t timescale) {
  TrackRun run;
  run.track_id = video ? kVideoTrackId : kAudioTrackId;
  std::vector<const Frame*> frames;
  for (const auto& fr : f.frames)
    if (fr->is_video() == video) frames.push_back(fr.get());
  auto ticks = [&](uint64_t ms) { return ms * timescale / 1000; };
  run.base_decode_time = ticks(offset_ms + frames.front()->dts());
  for (size_t i = 0; i < frames.size(); ++i) {
    const uint64_t end = i + 1 < frames.size() ? offset_ms + frames[i + 1]->dts()
                                               : offset_ms + gop_ms + frames.front()->dts();
    Sample s;
    s.duration = static_cast<uint32_t>(ticks(end) - ticks(offset_ms + frames[i]->dts()));
    s.composition_offset =
        static_cast<int32_t>(int64_t{frames[i]->composition_offset()} * timescale / 1000);
    s.sync = !video || frames[i]->is_keyframe();
    s.data = *sample_data(*frames[i]);
    run.samples.push_back(s);
  }
  return run;
}

TEST(Fmp4Init, DescribesBothTracksAndNamesTheirCodecs) {
  const auto f = load("codec/h264-baseline-aac-lc.flv");
  const auto init = build_init_segment({f.video_header, f.audio_header});
  ASSERT_EQ(init.error, "");
  const auto boxes = top_boxes(init.bytes);
  ASSERT_EQ(boxes.size(), 2u);
  EXPECT_EQ(boxes[0].first, "ftyp");
  EXPECT_EQ(boxes[1].first, "moov");
  EXPECT_EQ(boxes[0].second + boxes[1].second, init.bytes.size());
  // Baseline profile 66 (0x42), constraint flags 0xc0, level 1.0 (0x0a); AAC LC.
  EXPECT_EQ(init.codecs, "avc1.42c00a,mp4a.40.2");
  const auto audio_only = build_init_segment({nullptr, f.audio_header});
  EXPECT_EQ(audio_only.codecs, "mp4a.40.2");
  EXPECT_NE(build_init_segment({}).error, "");
}

TEST(Fmp4Fragment, TheDataOffsetPointsIntoTheMdat) {
  const std::vector<uint8_t> a{1, 2, 3}, b{4, 5};
  TrackRun video{kVideoTrackId, 900, {{3000, 0, true, a}}};
  TrackRun audio{kAudioTrackId, 480, {{1024, 0, true, b}}};
  const auto bytes = build_fragment(7, {video, audio});
  const auto boxes = top_boxes(bytes);
  ASSERT_EQ(boxes.size(), 2u);
  EXPECT_EQ(boxes[0].first, "moof");
  EXPECT_EQ(boxes[1].first, "mdat");
  const size_t mdat_payload = boxes[0].second + 8;
  // The samples follow each other in the mdat, video first.
  EXPECT_EQ(std::vector<uint8_t>(bytes.begin() + mdat_payload, bytes.end()),
            (std::vector<uint8_t>{1, 2, 3, 4, 5}));
}

TEST(Fmp4Fragment, FfmpegDecodesEveryFrameOfTheFragments) {
  for (const std::string name :
       {"codec/h264-baseline-aac-lc.flv", "codec/h264-high-bframes-aac-lc.flv"}) {
    SCOPED_TRACE(name);
    const auto f = load(name);
    const auto init = build_init_segment({f.video_header, f.audio_header});
    ASSERT_EQ(init.error, "");
    const uint32_t audio_scale = audio_timescale(*f.audio_header->audio_config());
    constexpr uint64_t kGopMs = 400;
    constexpr int kGops = 5;
    const auto path = std::filesystem::temp_directory_path() /
                      ("sluice-fmp4-" + std::to_string(::getpid()) + ".mp4");
    {
      std::ofstream file(path, std::ios::binary);
      auto put = [&](const std::vector<uint8_t>& b) {
        file.write(reinterpret_cast<const char*>(b.data()), static_cast<std::streamsize>(b.size()));
      };
      put(init.bytes);
      for (int g = 0; g < kGops; ++g) {
        put(build_fragment(static_cast<uint32_t>(g + 1),
                           {run_of(f, true, g * kGopMs, kGopMs, kVideoTimescale),
                            run_of(f, false, g * kGopMs, kGopMs, audio_scale)}));
      }
    }
    const auto counts = test::run_command(
        "ffprobe -v error -count_frames -show_entries "
        "stream=codec_name,nb_read_frames -of csv=p=0 '" +
        path.string() + "' 2>&1");
    const auto errors = test::ffmpeg_decode_errors(path.string());
    std::filesystem::remove(path);
    size_t video = 0, audio = 0;
    for (const auto& fr : f.frames) (fr->is_video() ? video : audio)++;
    EXPECT_EQ(counts, "h264," + std::to_string(kGops * video) + "\naac," +
                          std::to_string(kGops * audio) + "\n");
    EXPECT_EQ(errors, "");
  }
}

}  // namespace
}  // namespace sluice::fmp4
