#include "media/codec/flv_media_header.hpp"

#include <optional>
#include <string>

namespace sluice::media::codec {
namespace {

using VideoResult = Parsed<VideoTagHeader>;

// Enhanced RTMP VideoPacketType (veovera enhanced-rtmp v1; 6 and 7 are v2).
enum ExPacket : uint8_t {
  kSequenceStart = 0,
  kCodedFrames = 1,
  kSequenceEnd = 2,
  kCodedFramesX = 3,
  kExMetadata = 4,
  kMpeg2TsSequenceStart = 5,
  kMultitrack = 6,
  kModEx = 7,
};
constexpr uint8_t kCommandFrame = 5;

bool printable_ascii(uint8_t c) {
  return c >= 0x20 && c < 0x7F;
}

int32_t si24(std::span<const uint8_t> p, size_t at) {
  const uint32_t raw = uint32_t{p[at]} << 16 | uint32_t{p[at + 1]} << 8 | p[at + 2];
  return static_cast<int32_t>(raw & 0x800000 ? raw | 0xFF000000u : raw);
}

bool fourcc_is(std::span<const uint8_t> p, const char (&name)[5]) {
  return p.size() >= 5 && p[1] == name[0] && p[2] == name[1] && p[3] == name[2] && p[4] == name[3];
}

// The FourCCs whose ExVideoTagBody is an ISO/IEC 14496-15 record and
// length-prefixed NAL units.
std::optional<VideoCodec> nal_codec_of(std::span<const uint8_t> p) {
  if (fourcc_is(p, "hvc1")) return VideoCodec::kHevc;
  if (fourcc_is(p, "avc1")) return VideoCodec::kAvc;
  return std::nullopt;
}

VideoResult parse_enhanced(std::span<const uint8_t> p) {
  VideoTagHeader out;
  out.enhanced = true;
  out.frame_type = (p[0] >> 4) & 0x07;
  const uint8_t packet = p[0] & 0x0F;
  if (packet == kMultitrack || packet == kModEx)
    return VideoResult::fail("video message: Enhanced RTMP v2 packet type " +
                             std::to_string(packet) + " (multitrack/ModEx) is not supported");
  // A command frame carries one command byte and no FourCC.
  if (out.frame_type == kCommandFrame && packet != kExMetadata) {
    if (p.size() < 2) return VideoResult::fail("video message: Enhanced RTMP command truncated");
    out.packet = VideoPacket::kCommand;
    out.body = p.subspan(1, 1);
    return VideoResult::ok(out);
  }
  if (p.size() < 5) return VideoResult::fail("video message: Enhanced RTMP header truncated");
  const auto codec = nal_codec_of(p);
  if (!codec) {
    std::string fourcc;
    for (size_t i = 1; i < 5; ++i) fourcc += printable_ascii(p[i]) ? static_cast<char>(p[i]) : '?';
    return VideoResult::fail("video message: Enhanced RTMP FourCC '" + fourcc +
                             "' is not supported (only 'hvc1' and 'avc1' are)");
  }
  out.codec = *codec;
  out.body = p.subspan(5);
  switch (packet) {
    case kSequenceStart:
      out.packet = VideoPacket::kSequenceHeader;
      return VideoResult::ok(out);
    case kCodedFrames:
      if (p.size() < 8)
        return VideoResult::fail("video message: Enhanced RTMP composition time truncated");
      out.packet = VideoPacket::kNalUnits;
      out.composition_offset = si24(p, 5);
      out.body = p.subspan(8);
      return VideoResult::ok(out);
    case kCodedFramesX:
      out.packet = VideoPacket::kNalUnits;
      return VideoResult::ok(out);
    case kSequenceEnd:
      out.packet = VideoPacket::kEndOfSequence;
      return VideoResult::ok(out);
    case kExMetadata:
      out.packet = VideoPacket::kMetadata;
      return VideoResult::ok(out);
    case kMpeg2TsSequenceStart:
      return VideoResult::fail(
          "video message: Enhanced RTMP MPEG2TSSequenceStart is not supported");
    default:
      return VideoResult::fail("video message: Enhanced RTMP packet type " +
                               std::to_string(packet));
  }
}

}  // namespace

Parsed<VideoTagHeader> parse_video_tag_header(std::span<const uint8_t> p) {
  if (p.empty()) return VideoResult::fail("video message: empty");
  if (p[0] & 0x80) return parse_enhanced(p);
  VideoTagHeader out;
  out.frame_type = p[0] >> 4;
  const uint8_t codec = p[0] & 0x0F;
  if (codec != 7 && codec != 12)
    return VideoResult::fail("video message: codec id " + std::to_string(codec) +
                             " is not AVC (7) or HEVC (12)");
  out.codec = static_cast<VideoCodec>(codec);
  if (p.size() < 5) return VideoResult::fail("video message: header truncated");
  if (p[1] > 2) return VideoResult::fail("video message: packet type " + std::to_string(p[1]));
  out.packet = static_cast<VideoPacket>(p[1]);
  out.composition_offset = si24(p, 2);
  out.body = p.subspan(5);
  return VideoResult::ok(out);
}

int32_t composition_offset_of(std::span<const uint8_t> p) {
  if (p.empty()) return 0;
  if (p[0] & 0x80) {
    const bool coded_frames =
        (p[0] & 0x0F) == kCodedFrames && ((p[0] >> 4) & 0x07) != kCommandFrame;
    return coded_frames && p.size() >= 8 && nal_codec_of(p) ? si24(p, 5) : 0;
  }
  const uint8_t codec = p[0] & 0x0F;
  if (p.size() < 5 || (codec != 7 && codec != 12)) return 0;
  return si24(p, 2);
}

Parsed<AudioTagHeader> parse_audio_tag_header(std::span<const uint8_t> p) {
  using Result = Parsed<AudioTagHeader>;
  if (p.empty()) return Result::fail("audio message: empty");
  const uint8_t format = p[0] >> 4;
  if (format != 10)
    return Result::fail("audio message: sound format " + std::to_string(format) + " is not AAC");
  if (p.size() < 2) return Result::fail("audio message: header truncated");
  if (p[1] > 1) return Result::fail("audio message: AAC packet type " + std::to_string(p[1]));
  AudioTagHeader out;
  out.sequence_header = p[1] == 0;
  out.body = p.subspan(2);
  return Result::ok(out);
}

}  // namespace sluice::media::codec
