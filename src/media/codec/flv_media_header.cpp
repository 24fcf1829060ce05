#include "media/codec/flv_media_header.hpp"

#include <string>

namespace sluice::media::codec {
namespace {

bool printable_ascii(uint8_t c) {
  return c >= 0x20 && c < 0x7F;
}

}  // namespace

Parsed<VideoTagHeader> parse_video_tag_header(std::span<const uint8_t> p) {
  using Result = Parsed<VideoTagHeader>;
  if (p.empty()) return Result::fail("video message: empty");
  if (p[0] & 0x80) {
    std::string fourcc;
    for (size_t i = 1; i < 5 && i < p.size(); ++i)
      fourcc += printable_ascii(p[i]) ? static_cast<char>(p[i]) : '?';
    return Result::fail("video message: Enhanced RTMP (FourCC '" + fourcc + "') is not supported");
  }
  VideoTagHeader out;
  out.frame_type = p[0] >> 4;
  const uint8_t codec = p[0] & 0x0F;
  if (codec != 7 && codec != 12)
    return Result::fail("video message: codec id " + std::to_string(codec) +
                        " is not AVC (7) or HEVC (12)");
  out.codec = static_cast<VideoCodec>(codec);
  if (p.size() < 5) return Result::fail("video message: header truncated");
  if (p[1] > 2) return Result::fail("video message: packet type " + std::to_string(p[1]));
  out.packet = static_cast<VideoPacket>(p[1]);
  out.composition_offset = composition_offset_of(p);
  out.body = p.subspan(5);
  return Result::ok(out);
}

int32_t composition_offset_of(std::span<const uint8_t> p) {
  if (p.size() < 5 || (p[0] & 0x80)) return 0;
  const uint8_t codec = p[0] & 0x0F;
  if (codec != 7 && codec != 12) return 0;
  const uint32_t raw = uint32_t{p[2]} << 16 | uint32_t{p[3]} << 8 | p[4];
  // Sign-extend SI24.
  return static_cast<int32_t>(raw & 0x800000 ? raw | 0xFF000000u : raw);
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
