// The codec layer on real encoder output: AVC configurations from ffmpeg-made
// FLV files and from the recorded ffmpeg and GStreamer publishes, HEVC
// configurations from libx265 (wrapped in the legacy codec-id-12 header),
// and every prefix and many mutations of them, which must fail cleanly.
#include <gtest/gtest.h>

#include <random>

#include "fixtures.hpp"
#include "flv_file.hpp"
#include "media/codec/bit_reader.hpp"
#include "media/codec/codec_config.hpp"
#include "rtmp/chunk_reader.hpp"
#include "rtmp/message.hpp"

namespace sluice::media::codec {
namespace {

std::vector<uint8_t> recorded_video_header(const std::string& name) {
  auto bytes = test::read_fixture(name);
  std::span<const uint8_t> chunks(bytes.data() + test::kHandshakeBytes,
                                  bytes.size() - test::kHandshakeBytes);
  rtmp::ChunkReader reader(8 * 1024 * 1024);
  std::vector<uint8_t> header;
  reader.feed(chunks, [&](rtmp::Message&& m) {
    if (header.empty() && m.type == rtmp::kVideo && m.payload.size() > 1 && m.payload[1] == 0)
      header = m.payload;
  });
  if (header.empty()) throw std::runtime_error("no video sequence header in " + name);
  return header;
}

// A legacy FLV HEVC sequence header (codec id 12) around an hvcC record.
std::vector<uint8_t> legacy_hevc_header(const std::string& fixture) {
  const std::string record = test::read_fixture_text("codec/" + fixture);
  std::vector<uint8_t> out(5 + record.size());
  out[0] = 0x1C;  // keyframe, codec id 12; AVCPacketType 0; composition time 0
  std::copy(record.begin(), record.end(), out.begin() + 5);
  return out;
}

TEST(CodecAvc, FfmpegBaselineWithCropping) {
  auto tags = test::read_flv_fixture("codec/h264-baseline-aac-lc.flv");
  auto config = parse_video_config(test::first_sequence_header(tags, 9));
  ASSERT_TRUE(config) << config.error();
  EXPECT_EQ(config->codec, VideoCodec::kAvc);
  const auto& avc = std::get<AvcConfig>(config->record);
  EXPECT_EQ(avc.profile, 66);
  EXPECT_EQ(avc.nalu_length_size, 4);
  EXPECT_EQ(config->nalu_length_size(), 4);
  ASSERT_EQ(avc.sps.size(), 1u);
  ASSERT_EQ(avc.pps.size(), 1u);
  EXPECT_EQ(avc.sps[0][0] & 0x1F, 7);
  EXPECT_EQ(avc.pps[0][0] & 0x1F, 8);
  ASSERT_TRUE(config->picture());
  // 100x58 is coded as 112x64 macroblocks with a cropping window.
  EXPECT_EQ(config->picture()->size, (PictureSize{100, 58}));
  EXPECT_EQ(config->picture()->chroma_format_idc, 1u);
  EXPECT_EQ(config->picture()->bit_depth_luma, 8u);
}

TEST(CodecAvc, FfmpegHighProfile) {
  auto tags = test::read_flv_fixture("codec/h264-high-bframes-aac-lc.flv");
  auto config = parse_video_config(test::first_sequence_header(tags, 9));
  ASSERT_TRUE(config) << config.error();
  const auto& avc = std::get<AvcConfig>(config->record);
  EXPECT_EQ(avc.profile, 100);
  EXPECT_GT(avc.level, 0);
  ASSERT_TRUE(avc.picture);
  EXPECT_EQ(avc.picture->size, (PictureSize{160, 90}));
  EXPECT_EQ(avc.picture->chroma_format_idc, 1u);
  EXPECT_EQ(avc.picture->bit_depth_chroma, 8u);
}

TEST(CodecAvc, BFramesCarryCompositionOffsets) {
  auto tags = test::read_flv_fixture("codec/h264-high-bframes-aac-lc.flv");
  size_t positive = 0, frames = 0;
  for (const auto& t : tags) {
    if (t.type != 9) continue;
    auto header = parse_video_tag_header(t.body);
    ASSERT_TRUE(header) << header.error();
    if (header->packet != VideoPacket::kNalUnits) continue;
    ++frames;
    EXPECT_GE(header->composition_offset, 0);
    EXPECT_EQ(header->composition_offset, composition_offset_of(t.body));
    positive += header->composition_offset > 0;
  }
  EXPECT_GE(frames, 3u);
  EXPECT_GT(positive, 0u) << "x264 with B-frames reorders, so some PTS > DTS";
}

TEST(CodecAvc, RecordedPublishers) {
  struct Case {
    const char* fixture;
    PictureSize size;
  };
  for (const Case& c : {Case{"ffmpeg-publish.c2s", {640, 360}},
                        Case{"gstreamer-rtmp2sink-publish.c2s", {320, 180}}}) {
    auto config = parse_video_config(recorded_video_header(c.fixture));
    ASSERT_TRUE(config) << c.fixture << ": " << config.error();
    ASSERT_TRUE(config->picture()) << c.fixture;
    EXPECT_EQ(config->picture()->size, c.size) << c.fixture;
    EXPECT_FALSE(std::get<AvcConfig>(config->record).sps.empty());
  }
}

TEST(CodecHevc, X265MainInLegacyFlvHeader) {
  auto config = parse_video_config(legacy_hevc_header("h265-main-160x90.hvcC"));
  ASSERT_TRUE(config) << config.error();
  EXPECT_EQ(config->codec, VideoCodec::kHevc);
  const auto& hevc = std::get<HevcConfig>(config->record);
  EXPECT_EQ(hevc.profile, 1);  // Main
  EXPECT_FALSE(hevc.high_tier);
  EXPECT_GT(hevc.level, 0);
  EXPECT_EQ(hevc.chroma_format_idc, 1);
  EXPECT_EQ(hevc.bit_depth_luma, 8);
  EXPECT_EQ(hevc.nalu_length_size, 4);
  EXPECT_NE(hevc.first_unit(32), nullptr);  // VPS
  EXPECT_NE(hevc.first_unit(33), nullptr);  // SPS
  EXPECT_NE(hevc.first_unit(34), nullptr);  // PPS
  ASSERT_TRUE(hevc.picture);
  EXPECT_EQ(hevc.picture->size, (PictureSize{160, 90}));
}

TEST(CodecHevc, X265Main10WithConformanceWindow) {
  auto config = parse_video_config(legacy_hevc_header("h265-main10-100x58.hvcC"));
  ASSERT_TRUE(config) << config.error();
  const auto& hevc = std::get<HevcConfig>(config->record);
  EXPECT_EQ(hevc.profile, 2);  // Main 10
  EXPECT_EQ(hevc.bit_depth_luma, 10);
  EXPECT_EQ(hevc.bit_depth_chroma, 10);
  ASSERT_TRUE(hevc.picture);
  EXPECT_EQ(hevc.picture->size, (PictureSize{100, 58}));
  EXPECT_EQ(hevc.picture->bit_depth_luma, 10u);
}

TEST(CodecVideoHeader, NegativeCompositionOffsetAndOtherCodecs) {
  const std::vector<uint8_t> negative{0x27, 0x01, 0xFF, 0xFF, 0xD8, 0, 0, 0, 1, 0x41};
  auto header = parse_video_tag_header(negative);
  ASSERT_TRUE(header) << header.error();
  EXPECT_EQ(header->composition_offset, -40);
  EXPECT_EQ(header->frame_type, 2);
  EXPECT_EQ(header->body.size(), 5u);

  const std::vector<uint8_t> vp6{0x14, 0x00, 0x00, 0x00, 0x10};  // codec id 4
  EXPECT_FALSE(parse_video_tag_header(vp6));
  EXPECT_EQ(composition_offset_of(vp6), 0);
  EXPECT_FALSE(parse_video_tag_header({}));
  const std::vector<uint8_t> short_avc{0x17, 0x00, 0x00};
  EXPECT_FALSE(parse_video_tag_header(short_avc));
  EXPECT_EQ(composition_offset_of(short_avc), 0);
}

std::vector<std::vector<uint8_t>> valid_headers() {
  return {
      test::first_sequence_header(test::read_flv_fixture("codec/h264-baseline-aac-lc.flv"), 9),
      test::first_sequence_header(test::read_flv_fixture("codec/h264-high-bframes-aac-lc.flv"), 9),
      recorded_video_header("ffmpeg-publish.c2s"), legacy_hevc_header("h265-main-160x90.hvcC"),
      legacy_hevc_header("h265-main10-100x58.hvcC")};
}

// What a muxer copies out of a record: the parameter sets.
std::vector<std::vector<uint8_t>> parameter_sets(const VideoConfig& config) {
  if (const auto* avc = std::get_if<AvcConfig>(&config.record)) {
    auto out = avc->sps;
    out.insert(out.end(), avc->pps.begin(), avc->pps.end());
    return out;
  }
  std::vector<std::vector<uint8_t>> out;
  for (const auto& a : std::get<HevcConfig>(config.record).arrays)
    out.insert(out.end(), a.units.begin(), a.units.end());
  return out;
}

TEST(CodecMalformed, EveryTruncatedRecordFails) {
  for (const auto& whole : valid_headers()) {
    auto full = parse_video_config(whole);
    ASSERT_TRUE(full);
    // A cut anywhere in the parameter-set lists is detected. High-profile
    // AVC records end with optional extension bytes the SPS repeats, which
    // are not read, so a cut there still gives every parameter set intact.
    for (size_t n = 0; n < whole.size(); ++n) {
      std::vector<uint8_t> cut(whole.begin(), whole.begin() + static_cast<ptrdiff_t>(n));
      auto config = parse_video_config(cut);
      if (config) {
        EXPECT_EQ(parameter_sets(*config), parameter_sets(*full)) << "cut at " << n;
      } else {
        EXPECT_FALSE(config.error().empty());
      }
    }
  }
}

TEST(CodecMalformed, MutatedRecordsNeverCrash) {
  std::mt19937 rng(9);
  size_t accepted = 0, refused = 0;
  for (const auto& whole : valid_headers()) {
    for (int round = 0; round < 3000; ++round) {
      auto bytes = whole;
      const int flips = 1 + static_cast<int>(rng() % 4);
      for (int f = 0; f < flips; ++f) bytes[5 + rng() % (bytes.size() - 5)] ^= 1u << (rng() % 8);
      auto config = parse_video_config(bytes);
      if (config) {
        ++accepted;
        if (auto picture = config->picture()) {
          EXPECT_GT(picture->size.width, 0u);
          EXPECT_GT(picture->size.height, 0u);
        }
      } else {
        ++refused;
        EXPECT_FALSE(config.error().empty());
      }
    }
  }
  EXPECT_GT(refused, 0u);
  EXPECT_GT(accepted, 0u);
}

TEST(CodecMalformed, SpsErrorsAreReported) {
  // An SPS cut after the profile: the record parses, the SPS does not.
  EXPECT_FALSE(parse_avc_sps(std::vector<uint8_t>{0x67, 0x42}));
  EXPECT_FALSE(parse_avc_sps(std::vector<uint8_t>{0x68, 0x42}));  // a PPS
  // 40 zero bits: an Exp-Golomb code longer than 32 bits.
  std::vector<uint8_t> long_code{0x67, 0x42, 0x00, 0x1F, 0x00, 0x00, 0x00, 0x00, 0x00, 0x80};
  auto sps = parse_avc_sps(long_code);
  ASSERT_FALSE(sps);
  EXPECT_NE(sps.error().find("Exp-Golomb"), std::string::npos) << sps.error();
  EXPECT_FALSE(parse_hevc_sps(std::vector<uint8_t>{0x42, 0x01}));
}

TEST(CodecBitReader, ExpGolombAndEmulationPrevention) {
  // 1 | 010 | 011 | 00100 | 00101 -> ue 0, 1, 2, 3; se -2
  const std::vector<uint8_t> bits{0b10100110, 0b01000010, 0b10000000};
  BitReader r(bits);
  EXPECT_EQ(r.ue(), 0u);
  EXPECT_EQ(r.ue(), 1u);
  EXPECT_EQ(r.ue(), 2u);
  EXPECT_EQ(r.ue(), 3u);
  EXPECT_EQ(r.se(), -2);
  EXPECT_THROW(r.bits(8), CodecError);
  EXPECT_EQ(rbsp_of(std::vector<uint8_t>{0x00, 0x00, 0x03, 0x01, 0x00, 0x00, 0x03}),
            (std::vector<uint8_t>{0x00, 0x00, 0x01, 0x00, 0x00}));
}

}  // namespace
}  // namespace sluice::media::codec
