// Enhanced RTMP (veovera enhanced-rtmp v1) video: the ExVideoTagHeader of
// every packet type around a real libx265 hvcC record, the frame
// classification the GOP cache relies on, and the clean refusals (other
// FourCCs, v2 packet types, truncated and garbage headers).
#include <gtest/gtest.h>

#include <random>

#include "fixtures.hpp"
#include "media/codec/codec_config.hpp"
#include "media/frame.hpp"

namespace sluice::media::codec {
namespace {

constexpr uint8_t kExHeader = 0x80;
constexpr uint8_t kKey = 1 << 4, kInter = 2 << 4, kCommand = 5 << 4;

std::vector<uint8_t> ex(uint8_t first, const char* fourcc, const std::vector<uint8_t>& rest = {}) {
  std::vector<uint8_t> out(5 + rest.size());
  out[0] = static_cast<uint8_t>(kExHeader | first);
  std::copy_n(fourcc, 4, out.begin() + 1);
  std::ranges::copy(rest, out.begin() + 5);
  return out;
}

std::vector<uint8_t> hvcc(const std::string& fixture) {
  const std::string record = test::read_fixture_text("codec/" + fixture);
  return {record.begin(), record.end()};
}

// One IDR slice NAL unit behind a 4-byte length.
const std::vector<uint8_t> kNalUnits{0, 0, 0, 3, 0x26, 0x01, 0xAF};

TEST(EnhancedRtmp, SequenceStartCarriesTheHevcRecord) {
  const auto payload = ex(kKey | 0, "hvc1", hvcc("h265-main-160x90.hvcC"));
  auto header = parse_video_tag_header(payload);
  ASSERT_TRUE(header) << header.error();
  EXPECT_TRUE(header->enhanced);
  EXPECT_EQ(header->codec, VideoCodec::kHevc);
  EXPECT_EQ(header->packet, VideoPacket::kSequenceHeader);
  EXPECT_EQ(header->body.size(), payload.size() - 5);

  auto config = parse_video_config(payload);
  ASSERT_TRUE(config) << config.error();
  EXPECT_EQ(config->codec, VideoCodec::kHevc);
  EXPECT_EQ(config->nalu_length_size(), 4);
  ASSERT_TRUE(config->picture());
  EXPECT_EQ(config->picture()->size, (PictureSize{160, 90}));

  // The same record behind the legacy codec-id-12 header parses the same.
  auto legacy = hvcc("h265-main-160x90.hvcC");
  legacy.insert(legacy.begin(), {0x1C, 0, 0, 0, 0});
  auto legacy_config = parse_video_config(legacy);
  ASSERT_TRUE(legacy_config) << legacy_config.error();
  EXPECT_EQ(std::get<HevcConfig>(legacy_config->record).arrays.size(),
            std::get<HevcConfig>(config->record).arrays.size());
}

TEST(EnhancedRtmp, CodedFramesHaveASignedCompositionTime) {
  std::vector<uint8_t> rest{0x00, 0x00, 0x50};  // +80 ms
  rest.insert(rest.end(), kNalUnits.begin(), kNalUnits.end());
  const auto positive = ex(kKey | 1, "hvc1", rest);
  auto header = parse_video_tag_header(positive);
  ASSERT_TRUE(header) << header.error();
  EXPECT_EQ(header->packet, VideoPacket::kNalUnits);
  EXPECT_EQ(header->frame_type, 1);
  EXPECT_EQ(header->composition_offset, 80);
  EXPECT_EQ(composition_offset_of(positive), 80);
  EXPECT_TRUE(std::ranges::equal(header->body, kNalUnits));

  rest[0] = 0xFF, rest[1] = 0xFF, rest[2] = 0xD8;  // -40 ms
  const auto negative = ex(kInter | 1, "hvc1", rest);
  ASSERT_TRUE(parse_video_tag_header(negative));
  EXPECT_EQ(parse_video_tag_header(negative)->composition_offset, -40);
  EXPECT_EQ(parse_video_tag_header(negative)->frame_type, 2);
  EXPECT_EQ(composition_offset_of(negative), -40);
}

TEST(EnhancedRtmp, CodedFramesXHaveNoCompositionTime) {
  const auto payload = ex(kInter | 3, "hvc1", kNalUnits);
  auto header = parse_video_tag_header(payload);
  ASSERT_TRUE(header) << header.error();
  EXPECT_EQ(header->packet, VideoPacket::kNalUnits);
  EXPECT_EQ(header->composition_offset, 0);
  EXPECT_EQ(composition_offset_of(payload), 0);
  // The NAL units start right after the FourCC, not three bytes later.
  EXPECT_TRUE(std::ranges::equal(header->body, kNalUnits));
}

TEST(EnhancedRtmp, SequenceEndMetadataAndCommandsCarryNoPicture) {
  const auto end_payload = ex(kKey | 2, "hvc1");
  auto end = parse_video_tag_header(end_payload);
  ASSERT_TRUE(end) << end.error();
  EXPECT_EQ(end->packet, VideoPacket::kEndOfSequence);

  // AMF0 "colorInfo" followed by an object: kept opaque, never a picture.
  const std::vector<uint8_t> amf{0x02, 0x00, 0x09, 'c', 'o', 'l', 'o',
                                 'r',  'I',  'n',  'f', 'o', 0x03};
  const auto metadata_payload = ex(kKey | 4, "hvc1", amf);
  auto metadata = parse_video_tag_header(metadata_payload);
  ASSERT_TRUE(metadata) << metadata.error();
  EXPECT_EQ(metadata->packet, VideoPacket::kMetadata);
  EXPECT_TRUE(std::ranges::equal(metadata->body, amf));
  EXPECT_FALSE(parse_video_config(metadata_payload));

  // Frame type 5 (command) has a command byte where the FourCC would be.
  const std::vector<uint8_t> command{kExHeader | kCommand | 1, 0x00};
  auto parsed = parse_video_tag_header(command);
  ASSERT_TRUE(parsed) << parsed.error();
  EXPECT_EQ(parsed->packet, VideoPacket::kCommand);
  EXPECT_EQ(composition_offset_of(command), 0);
  EXPECT_FALSE(parse_video_tag_header(std::vector<uint8_t>{kExHeader | kCommand | 1}));
}

TEST(EnhancedRtmp, AvcFourCcIsTheSameLayout) {
  const auto payload = ex(kKey | 3, "avc1", kNalUnits);
  auto header = parse_video_tag_header(payload);
  ASSERT_TRUE(header) << header.error();
  EXPECT_EQ(header->codec, VideoCodec::kAvc);
  EXPECT_EQ(header->packet, VideoPacket::kNalUnits);
}

TEST(EnhancedRtmp, OtherFourCcsAndPacketTypesAreRefusedWithAReason) {
  struct Case {
    std::vector<uint8_t> payload;
    const char* says;
  };
  const std::vector<Case> cases{
      {ex(kKey | 0, "av01", {0x81, 0x00}), "FourCC 'av01' is not supported"},
      {ex(kKey | 1, "vp09", {0, 0, 0, 1}), "FourCC 'vp09' is not supported"},
      {ex(kKey | 0, "\x01\xFFx\n"), "FourCC '??x?' is not supported"},
      {ex(kKey | 5, "hvc1", {0x01}), "MPEG2TSSequenceStart"},
      {ex(kKey | 6, "hvc1"), "multitrack/ModEx"},
      {ex(kKey | 7, "hvc1"), "multitrack/ModEx"},
      {ex(kKey | 9, "hvc1"), "packet type 9"},
  };
  for (const auto& c : cases) {
    auto header = parse_video_tag_header(c.payload);
    ASSERT_FALSE(header) << c.says;
    EXPECT_NE(header.error().find(c.says), std::string::npos) << header.error();
    EXPECT_FALSE(parse_video_config(c.payload)) << c.says;
    EXPECT_EQ(composition_offset_of(c.payload), 0) << c.says;
  }
}

TEST(EnhancedRtmp, TruncatedHeadersFailCleanly) {
  auto whole = ex(kKey | 1, "hvc1", {0x00, 0x00, 0x28});
  whole.insert(whole.end(), kNalUnits.begin(), kNalUnits.end());
  // Shorter than the FourCC, or than CodedFrames' composition time.
  for (size_t n = 1; n < 8; ++n) {
    std::span<const uint8_t> cut(whole.data(), n);
    auto header = parse_video_tag_header(cut);
    ASSERT_FALSE(header) << "cut at " << n;
    EXPECT_NE(header.error().find("truncated"), std::string::npos) << header.error();
    EXPECT_EQ(composition_offset_of(cut), 0);
  }
  // A sequence start cut anywhere in its record: a config or an error.
  const auto start = ex(kKey | 0, "hvc1", hvcc("h265-main10-100x58.hvcC"));
  for (size_t n = 0; n < start.size(); ++n) {
    std::span<const uint8_t> cut(start.data(), n);
    auto config = parse_video_config(cut);
    if (!config) {
      EXPECT_FALSE(config.error().empty()) << "cut at " << n;
    }
  }
}

TEST(EnhancedRtmp, GarbageNeverCrashes) {
  std::mt19937 rng(12);
  size_t parsed = 0;
  for (int round = 0; round < 20000; ++round) {
    std::vector<uint8_t> bytes(rng() % 24);
    for (auto& b : bytes) b = static_cast<uint8_t>(rng());
    if (!bytes.empty()) bytes[0] |= kExHeader;
    if (bytes.size() >= 5 && round % 2) std::copy_n("hvc1", 4, bytes.begin() + 1);
    auto header = parse_video_tag_header(bytes);
    if (header) {
      ++parsed;
      EXPECT_LE(header->body.size(), bytes.size());
    } else {
      EXPECT_FALSE(header.error().empty());
    }
    media::Frame frame(media::FrameKind::kVideo, 0, media::Bytes(bytes));
    EXPECT_FALSE(frame.is_keyframe() && frame.is_sequence_header());
  }
  EXPECT_GT(parsed, 0u);
}

TEST(EnhancedRtmpFrame, KeyframesAndSequenceStartsForTheGopCache) {
  using media::Bytes;
  using media::Frame;
  using media::FrameKind;
  auto frame = [](std::vector<uint8_t> payload) {
    return Frame(FrameKind::kVideo, 1000, Bytes(std::move(payload)));
  };
  const auto start = frame(ex(kKey | 0, "hvc1", hvcc("h265-main-160x90.hvcC")));
  EXPECT_TRUE(start.is_sequence_header());
  EXPECT_FALSE(start.is_keyframe());

  const auto key = frame(ex(kKey | 1, "hvc1", {0x00, 0x00, 0x50, 0, 0, 0, 1, 0x26}));
  EXPECT_TRUE(key.is_keyframe());
  EXPECT_EQ(key.composition_offset(), 80);
  EXPECT_EQ(key.pts(), 1080);
  EXPECT_TRUE(frame(ex(kKey | 3, "hvc1", kNalUnits)).is_keyframe());
  EXPECT_FALSE(frame(ex(kInter | 3, "hvc1", kNalUnits)).is_keyframe());
  // Metadata and sequence end are not pictures a viewer can start from,
  // whatever their frame type says.
  EXPECT_FALSE(frame(ex(kKey | 4, "hvc1", {0x02, 0x00, 0x00})).is_keyframe());
  EXPECT_FALSE(frame(ex(kKey | 2, "hvc1")).is_keyframe());
  // Codecs sluice does not parse still get their keyframes found.
  EXPECT_TRUE(frame(ex(kKey | 1, "av01", {0, 0, 0, 0x12})).is_keyframe());
  EXPECT_TRUE(frame(ex(kKey | 0, "vp09", {1})).is_sequence_header());
  // A command frame (type 5) has no FourCC; its low bits are not SequenceStart.
  EXPECT_FALSE(frame({kExHeader | kCommand | 0, 0x01}).is_sequence_header());
}

}  // namespace
}  // namespace sluice::media::codec
