#include "media/codec/codec_config.hpp"

namespace sluice::media::codec {

uint8_t VideoConfig::nalu_length_size() const {
  return std::visit([](const auto& r) { return r.nalu_length_size; }, record);
}

std::optional<SpsSummary> VideoConfig::picture() const {
  return std::visit([](const auto& r) { return r.picture; }, record);
}

Parsed<VideoConfig> parse_video_config(std::span<const uint8_t> payload) {
  using Result = Parsed<VideoConfig>;
  auto header = parse_video_tag_header(payload);
  if (!header) return Result::fail(header.error());
  if (header->packet != VideoPacket::kSequenceHeader)
    return Result::fail("video message: not a sequence header");
  VideoConfig out;
  out.codec = header->codec;
  if (header->codec == VideoCodec::kAvc) {
    auto avc = parse_avc_config(header->body);
    if (!avc) return Result::fail(avc.error());
    out.record = std::move(avc).take();
  } else {
    auto hevc = parse_hevc_config(header->body);
    if (!hevc) return Result::fail(hevc.error());
    out.record = std::move(hevc).take();
  }
  return Result::ok(std::move(out));
}

Parsed<AudioConfig> parse_audio_config(std::span<const uint8_t> payload) {
  using Result = Parsed<AudioConfig>;
  auto header = parse_audio_tag_header(payload);
  if (!header) return Result::fail(header.error());
  if (!header->sequence_header) return Result::fail("audio message: not a sequence header");
  auto aac = parse_audio_specific_config(header->body);
  if (!aac) return Result::fail(aac.error());
  return Result::ok(AudioConfig{AudioCodec::kAac, *aac});
}

}  // namespace sluice::media::codec
