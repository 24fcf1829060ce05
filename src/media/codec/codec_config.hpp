#pragma once
// A stream's decoder configuration, parsed once per sequence header and
// shared (immutable) by every frame, stream and output that needs it: TS and
// fMP4 muxers read the parameter sets, NAL length size and ADTS fields here
// instead of re-parsing FLV bytes.
#include <cstdint>
#include <optional>
#include <span>
#include <variant>

#include "media/codec/aac_config.hpp"
#include "media/codec/avc_config.hpp"
#include "media/codec/flv_media_header.hpp"
#include "media/codec/hevc_config.hpp"
#include "media/codec/parsed.hpp"

namespace sluice::media::codec {

struct VideoConfig {
  VideoCodec codec = VideoCodec::kAvc;
  std::variant<AvcConfig, HevcConfig> record;

  uint8_t nalu_length_size() const;
  // From the SPS, when it could be read.
  std::optional<SpsSummary> picture() const;
};

struct AudioConfig {
  AudioCodec codec = AudioCodec::kAac;
  AacConfig aac;
};

// From the body of an FLV/RTMP video sequence header message (the whole
// payload, tag header included).
Parsed<VideoConfig> parse_video_config(std::span<const uint8_t> payload);
// From the body of an FLV/RTMP AAC sequence header message.
Parsed<AudioConfig> parse_audio_config(std::span<const uint8_t> payload);

}  // namespace sluice::media::codec
