// The MPEG-TS muxer: packet structure checked byte by byte, then whole
// fixture streams muxed and read back by the real ffprobe/ffmpeg.
#include <gtest/gtest.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>

#include "external_tools.hpp"
#include "flv_file.hpp"
#include "media/codec/codec_config.hpp"
#include "ts/crc32.hpp"
#include "ts/pes.hpp"
#include "ts/psi.hpp"
#include "ts/ts_muxer.hpp"
#include "ts/ts_packets.hpp"

namespace sluice::ts {
namespace {

using media::Frame;
using media::FrameKind;

TEST(TsCrc32, MatchesTheCrc32Mpeg2CheckValue) {
  // The catalogue check value of CRC-32/MPEG-2 over the ASCII digits 1-9.
  const std::string digits = "123456789";
  EXPECT_EQ(mpeg2_crc32(std::span(reinterpret_cast<const uint8_t*>(digits.data()), 9)),
            0x0376E6E7u);
}

TEST(TsPsi, APatNamesThePmtAndEndsInItsCrc) {
  const auto pat = pat_section();
  // pointer field, table 0, length 13, tsid 1, version 0 current, program 1 → PID 0x1000.
  const std::vector<uint8_t> head{0x00, 0x00, 0xB0, 0x0D, 0x00, 0x01, 0xC1,
                                  0x00, 0x00, 0x00, 0x01, 0xF0, 0x00};
  ASSERT_EQ(pat.size(), head.size() + 4);
  EXPECT_TRUE(std::equal(head.begin(), head.end(), pat.begin()));
  // A section followed by its CRC has a CRC of 0 (the property receivers check).
  EXPECT_EQ(mpeg2_crc32(std::span(pat).subspan(1)), 0u);
  const auto pmt = pmt_section({{StreamType::kH264, 0x100}, {StreamType::kAacAdts, 0x101}}, 0x100);
  EXPECT_EQ(pmt[1], 0x02);
  EXPECT_EQ(mpeg2_crc32(std::span(pmt).subspan(1)), 0u);
}

TEST(TsPackets, AUnitIsCutIntoWholePacketsWithCountersAndStuffing) {
  PidWriter writer(0x100);
  std::vector<uint8_t> payload(500);
  for (size_t i = 0; i < payload.size(); ++i) payload[i] = static_cast<uint8_t>(i);
  std::vector<uint8_t> out;
  writer.write({0x100, payload, uint64_t{90000}, true}, out);
  writer.write({0x100, payload, std::nullopt, false}, out);
  ASSERT_EQ(out.size() % kPacketSize, 0u);
  std::vector<uint8_t> carried;
  uint8_t expected_counter = 0;
  for (size_t at = 0; at < out.size(); at += kPacketSize) {
    const uint8_t* p = &out[at];
    EXPECT_EQ(p[0], kSyncByte);
    EXPECT_EQ(((p[1] & 0x1F) << 8) | p[2], 0x100);
    EXPECT_EQ(p[3] & 0x0F, expected_counter);
    expected_counter = (expected_counter + 1) & 0x0F;
    size_t payload_at = 4;
    if (p[3] & 0x20) payload_at += 1 + p[4];
    ASSERT_LE(payload_at, kPacketSize);
    if (at == 0) {
      EXPECT_TRUE(p[1] & 0x40);      // payload unit start
      EXPECT_EQ(p[5] & 0x50, 0x50);  // random access, PCR
      const uint64_t base = uint64_t{p[6]} << 25 | uint64_t{p[7]} << 17 | uint64_t{p[8]} << 9 |
                            uint64_t{p[9]} << 1 | p[10] >> 7;
      EXPECT_EQ(base, 90000u);
    }
    carried.insert(carried.end(), out.begin() + at + payload_at, out.begin() + at + kPacketSize);
  }
  std::vector<uint8_t> twice(payload);
  twice.insert(twice.end(), payload.begin(), payload.end());
  EXPECT_EQ(carried, twice);
}

TEST(TsPes, TimestampsAreEncodedWithMarkerBits) {
  std::vector<uint8_t> out;
  put_pes_header(out, kVideoStreamId, 10, /*pts=*/0x1'2345'6789, /*dts=*/0x1'2345'0000);
  ASSERT_EQ(out.size(), 19u);
  EXPECT_EQ(out[7], 0xC0);
  EXPECT_EQ(out[8], 10);
  auto read = [&](size_t at) {
    return uint64_t(out[at] & 0x0E) << 29 | uint64_t(out[at + 1]) << 22 |
           uint64_t(out[at + 2] >> 1) << 15 | uint64_t(out[at + 3]) << 7 | out[at + 4] >> 1;
  };
  EXPECT_EQ(read(9), 0x1'2345'6789u);
  EXPECT_EQ(read(14), 0x1'2345'0000u);
  EXPECT_EQ(out[9] >> 4, 0x3);
  EXPECT_EQ(out[14] >> 4, 0x1);
  // Same PTS and DTS: only the PTS is written.
  out.clear();
  put_pes_header(out, kAudioStreamId, 10, 900, 900);
  EXPECT_EQ(out.size(), 14u);
  EXPECT_EQ((out[4] << 8) | out[5], 3 + 5 + 10);
}

struct Muxed {
  std::vector<uint8_t> bytes;
  size_t video_frames = 0, audio_frames = 0;
};

// Every tag of an FLV fixture through the muxer, the way a stream feeds it.
Muxed mux_fixture(const std::string& fixture, bool with_video = true, bool with_audio = true) {
  const auto tags = test::read_flv_fixture(fixture);
  media::VideoConfigPtr video;
  media::AudioConfigPtr audio;
  for (const auto& t : tags) {
    if (t.type == 9 && t.body.size() > 1 && t.body[1] == 0 && !video)
      video = std::make_shared<media::codec::VideoConfig>(
          std::move(media::codec::parse_video_config(t.body)).take());
    if (t.type == 8 && t.body.size() > 1 && t.body[1] == 0 && !audio)
      audio = std::make_shared<media::codec::AudioConfig>(
          std::move(media::codec::parse_audio_config(t.body)).take());
  }
  if (!with_video) video.reset();
  if (!with_audio) audio.reset();
  TsMuxer muxer(video, audio);
  Muxed m;
  muxer.write_tables(m.bytes);
  for (const auto& t : tags) {
    if (t.type != 8 && t.type != 9) continue;
    Frame frame(static_cast<FrameKind>(t.type), t.timestamp, t.body);
    if (!muxer.write(frame, m.bytes)) (frame.is_video() ? m.video_frames : m.audio_frames)++;
  }
  return m;
}

// ffprobe's frame counts per codec, and whatever ffmpeg says decoding it all.
struct ReadBack {
  std::map<std::string, int> frames;
  std::string decode_errors;
};

ReadBack read_back(const std::string& file) {
  ReadBack r;
  const auto counts = test::run_command(
      "ffprobe -v error -count_frames -show_entries "
      "stream=codec_name,nb_read_frames -of csv=p=0 '" +
      file + "' 2>&1");
  std::istringstream lines(counts);
  for (std::string line; std::getline(lines, line);) {
    if (line.empty()) continue;
    const auto comma = line.find(',');
    if (comma == std::string::npos) {
      r.decode_errors += line + "\n";
      continue;
    }
    r.frames[line.substr(0, comma)] = std::stoi(line.substr(comma + 1));
  }
  r.decode_errors += test::ffmpeg_decode_errors(file);
  return r;
}

TEST(TsMuxer, FfmpegDecodesEveryFrameOfAMuxedStream) {
  for (const std::string fixture :
       {"codec/h264-baseline-aac-lc.flv", "codec/h264-high-bframes-aac-lc.flv"}) {
    SCOPED_TRACE(fixture);
    const auto m = mux_fixture(fixture);
    ASSERT_GT(m.video_frames, 0u);
    ASSERT_GT(m.audio_frames, 0u);
    const test::TempFile file("av.ts", m.bytes);
    const auto back = read_back(file.path());
    EXPECT_EQ(back.decode_errors, "");
    EXPECT_EQ(back.frames.at("h264"), static_cast<int>(m.video_frames));
    EXPECT_EQ(back.frames.at("aac"), static_cast<int>(m.audio_frames));
  }
}

TEST(TsMuxer, AStreamWithOneTrackIsMuxedAlone) {
  for (const bool video : {true, false}) {
    const auto m = mux_fixture("codec/h264-baseline-aac-lc.flv", video, !video);
    const test::TempFile file(video ? "v.ts" : "a.ts", m.bytes);
    const auto back = read_back(file.path());
    EXPECT_EQ(back.decode_errors, "");
    EXPECT_EQ(back.frames.size(), 1u);
    EXPECT_EQ(back.frames.count(video ? "h264" : "aac"), 1u);
  }
}

TEST(TsMuxer, MalformedFramesAreRefusedWithoutWritingAnything) {
  const auto tags = test::read_flv_fixture("codec/h264-baseline-aac-lc.flv");
  auto video = std::make_shared<media::codec::VideoConfig>(
      std::move(media::codec::parse_video_config(test::first_sequence_header(tags, 9))).take());
  TsMuxer muxer(video, nullptr);
  std::vector<uint8_t> out;
  // A keyframe whose NAL unit length runs past the frame.
  const Frame overrun(FrameKind::kVideo, 0, {0x17, 0x01, 0, 0, 0, 0x00, 0x00, 0x10, 0x00, 0x65});
  EXPECT_TRUE(muxer.write(overrun, out));
  const Frame empty(FrameKind::kVideo, 0, {0x27, 0x01, 0, 0, 0});
  EXPECT_TRUE(muxer.write(empty, out));
  const Frame audio(FrameKind::kAudio, 0, {0xAF, 0x01, 0x21});
  EXPECT_TRUE(muxer.write(audio, out));  // no audio track
  EXPECT_TRUE(out.empty());
}

}  // namespace
}  // namespace sluice::ts
