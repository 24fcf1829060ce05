#pragma once
// AAC: the AudioSpecificConfig an FLV/RTMP AAC sequence header carries
// (ISO/IEC 14496-3 1.6.2.1), and the 7-byte ADTS header (14496-3 1.A.2.2)
// that MPEG-TS/HLS put before each raw AAC frame.
#include <array>
#include <cstdint>
#include <optional>
#include <span>

#include "media/codec/parsed.hpp"

namespace sluice::media::codec {

struct AacConfig {
  // As signalled: 2 AAC-LC, 5 SBR (HE-AAC), 29 PS (HE-AAC v2), 31+ escaped.
  uint32_t object_type = 0;
  // The core codec: equals object_type except for explicit SBR/PS, where it
  // is the underlying type (2 for HE-AAC over AAC-LC).
  uint32_t core_object_type = 0;
  std::optional<uint8_t> sampling_index;  // empty for an explicit frequency (index 15)
  uint32_t sampling_frequency = 0;        // of the core codec, Hz
  // HE-AAC (explicit signalling): the output rate after SBR.
  std::optional<uint32_t> extension_sampling_frequency;
  uint8_t channel_configuration = 0;  // 0: defined in-band (program config element)
  bool sbr = false;
  bool ps = false;
};

Parsed<AacConfig> parse_audio_specific_config(std::span<const uint8_t> config);

// The ADTS header for one raw AAC frame of `payload_size` bytes, or empty
// when ADTS cannot describe this stream: ADTS has a 2-bit profile (core types
// 1-4 only), a 4-bit sampling index (no explicit frequency), channel
// configurations 1-7 here (0 would need an in-band program config element),
// and a 13-bit frame length.
std::optional<std::array<uint8_t, 7>> adts_header(const AacConfig& config, size_t payload_size);

}  // namespace sluice::media::codec
