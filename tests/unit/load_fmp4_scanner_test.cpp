// The load tool's fMP4 scanner (bench/load/fmp4_scanner.hpp) against what
// sluice's own fMP4 writer (src/fmp4) makes of a real H.264 + AAC recording
// whose video frames carry the bench's wall-clock SEI, as LL-HLS parts do.
#include <gtest/gtest.h>

#include "flv_file.hpp"
#include "fmp4/fragment.hpp"
#include "fmp4/init_segment.hpp"
#include "fmp4_scanner.hpp"
#include "media/codec/codec_config.hpp"
#include "wallclock_sei.hpp"

namespace sluice::load {
namespace {

using media::Frame;
using media::FrameKind;

constexpr int64_t kStampBase = 1'780'000'000'000'000;  // a Unix time in µs

struct Recording {
  media::FramePtr video_header, audio_header;
  std::vector<media::FramePtr> video, audio;  // coded frames; video stamped
};

// Video frame i carries the stamp kStampBase + i.
Recording record(const std::string& fixture) {
  Recording r;
  for (const auto& t : test::read_flv_fixture(fixture)) {
    if (t.type != 8 && t.type != 9) continue;
    const bool header = t.body.size() > 1 && t.body[1] == 0;
    media::FrameConfig c;
    if (header && t.type == 9 && !r.video_header) {
      c.video = std::make_shared<media::codec::VideoConfig>(
          std::move(media::codec::parse_video_config(t.body)).take());
      r.video_header = std::make_shared<Frame>(FrameKind::kVideo, 0, t.body, c);
    } else if (header && t.type == 8 && !r.audio_header) {
      c.audio = std::make_shared<media::codec::AudioConfig>(
          std::move(media::codec::parse_audio_config(t.body)).take());
      r.audio_header = std::make_shared<Frame>(FrameKind::kAudio, 0, t.body, c);
    } else if (!header) {
      const bool video = t.type == 9;
      auto body = video ? with_wallclock_sei(t.body, kStampBase + int64_t(r.video.size())) : t.body;
      auto frame = std::make_shared<Frame>(static_cast<FrameKind>(t.type), t.timestamp, body);
      if (!fmp4::sample_data(*frame)) continue;  // the end-of-sequence marker
      (video ? r.video : r.audio).push_back(frame);
    }
  }
  return r;
}

// Frames [from, to) of one track as a run starting at their first DTS.
fmp4::TrackRun run_of(const std::vector<media::FramePtr>& frames, size_t from, size_t to,
                      uint32_t track, uint32_t timescale) {
  fmp4::TrackRun run{track, uint64_t{frames[from]->dts()} * timescale / 1000, {}};
  for (size_t i = from; i < to; ++i) {
    const auto next = i + 1 < frames.size() ? frames[i + 1]->dts() : frames[i]->dts() + 33;
    run.samples.push_back({static_cast<uint32_t>((next - frames[i]->dts()) * timescale / 1000),
                           static_cast<int32_t>(frames[i]->composition_offset() * timescale / 1000),
                           frames[i]->is_keyframe(), *fmp4::sample_data(*frames[i])});
  }
  return run;
}

TEST(LoadFmp4Scanner, FindsTheVideoTrackOfTheInitSection) {
  const auto r = record("codec/h264-baseline-aac-lc.flv");
  const auto init = fmp4::build_init_segment({r.video_header, r.audio_header});
  std::string error;
  const auto track = parse_fmp4_init(init.bytes, error);
  ASSERT_TRUE(track) << error;
  EXPECT_EQ(track->track_id, fmp4::kVideoTrackId);
  EXPECT_EQ(track->timescale, fmp4::kVideoTimescale);

  const auto audio_only = fmp4::build_init_segment({nullptr, r.audio_header});
  EXPECT_FALSE(parse_fmp4_init(audio_only.bytes, error));
  EXPECT_EQ(error, "init section without a video track");
}

TEST(LoadFmp4Scanner, ReportsEveryVideoSampleWithItsPtsKeyframeAndStamp) {
  for (const std::string fixture :
       {"codec/h264-baseline-aac-lc.flv", "codec/h264-high-bframes-aac-lc.flv"}) {
    SCOPED_TRACE(fixture);
    const auto r = record(fixture);
    ASSERT_GE(r.video.size(), 2u);
    const Fmp4VideoTrack video{fmp4::kVideoTrackId, fmp4::kVideoTimescale};
    // Two parts, as LL-HLS cuts them; audio and video runs in one moof.
    const size_t cut = r.video.size() / 2;
    const auto audio_rate = fmp4::audio_timescale(*r.audio_header->audio_config());
    std::vector<AccessUnit> units;
    std::string error;
    for (auto [from, to] : {std::pair{size_t{0}, cut}, std::pair{cut, r.video.size()}}) {
      const auto part = fmp4::build_fragment(
          1, {run_of(r.video, from, to, fmp4::kVideoTrackId, fmp4::kVideoTimescale),
              run_of(r.audio, 0, std::min<size_t>(3, r.audio.size()), fmp4::kAudioTrackId,
                     audio_rate)});
      ASSERT_TRUE(scan_fmp4_fragment(
          part, video, [&](const AccessUnit& u) { units.push_back(u); }, error))
          << error;
    }
    ASSERT_EQ(units.size(), r.video.size());
    for (size_t i = 0; i < units.size(); ++i) {
      SCOPED_TRACE(i);
      ASSERT_TRUE(units[i].pts_ms);
      EXPECT_NEAR(*units[i].pts_ms, r.video[i]->pts(), 1);
      EXPECT_EQ(units[i].keyframe, r.video[i]->is_keyframe());
      EXPECT_EQ(units[i].stamp_us, kStampBase + int64_t(i));
    }
  }
}

TEST(LoadFmp4Scanner, RefusesFragmentsThatDoNotHoldTogether) {
  const auto r = record("codec/h264-baseline-aac-lc.flv");
  const Fmp4VideoTrack video{fmp4::kVideoTrackId, fmp4::kVideoTimescale};
  const auto part = fmp4::build_fragment(
      1, {run_of(r.video, 0, r.video.size(), fmp4::kVideoTrackId, fmp4::kVideoTimescale)});
  int units = 0;
  const auto count = [&](const AccessUnit&) { ++units; };
  std::string error;
  // Cut inside the mdat: the samples point past the data.
  const std::vector<uint8_t> cut(part.begin(), part.end() - 10);
  EXPECT_FALSE(scan_fmp4_fragment(cut, video, count, error));
  EXPECT_NE(error, "");
  // A box claiming more bytes than there are.
  auto oversized = part;
  oversized[0] = 0x7f;
  error.clear();
  EXPECT_FALSE(scan_fmp4_fragment(oversized, video, count, error));
  EXPECT_EQ(error, "fragment: malformed box");
  // Not fMP4 at all (an MPEG-TS packet).
  std::vector<uint8_t> ts(188, 0xff);
  ts[0] = 0x47;
  error.clear();
  EXPECT_FALSE(scan_fmp4_fragment(ts, video, count, error));
  EXPECT_EQ(units, 0);
  // Another track's id: nothing of it is reported.
  error.clear();
  EXPECT_TRUE(scan_fmp4_fragment(part, {fmp4::kAudioTrackId, 48000}, count, error));
  EXPECT_EQ(units, 0);
}

}  // namespace
}  // namespace sluice::load
