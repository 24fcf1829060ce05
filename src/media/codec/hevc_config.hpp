#pragma once
// H.265: the HEVCDecoderConfigurationRecord an HEVC sequence header carries
// (ISO/IEC 14496-15 8.3.3.1), and the picture size, chroma format and bit
// depths of its first SPS (ITU-T H.265 7.3.2.2.1).
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "media/codec/parsed.hpp"
#include "media/codec/picture_size.hpp"

namespace sluice::media::codec {

struct HevcNalArray {
  uint8_t nal_unit_type = 0;  // 32 VPS, 33 SPS, 34 PPS, 39/40 SEI
  bool complete = false;      // array_completeness
  std::vector<std::vector<uint8_t>> units;
};

struct HevcConfig {
  uint8_t profile_space = 0;
  bool high_tier = false;
  uint8_t profile = 0;  // general_profile_idc: 1 Main, 2 Main 10, ...
  uint32_t profile_compatibility = 0;
  uint64_t constraint_flags = 0;  // 48 bits
  uint8_t level = 0;              // general_level_idc: 30 x level, e.g. 93 for 3.1
  uint8_t chroma_format_idc = 1;
  uint8_t bit_depth_luma = 8;
  uint8_t bit_depth_chroma = 8;
  uint8_t nalu_length_size = 4;
  std::vector<HevcNalArray> arrays;
  // From the first SPS; empty when it could not be read.
  std::optional<SpsSummary> picture;

  const std::vector<uint8_t>* first_unit(uint8_t nal_unit_type) const;
};

Parsed<HevcConfig> parse_hevc_config(std::span<const uint8_t> record);
// One SPS NAL unit (2-byte header included).
Parsed<SpsSummary> parse_hevc_sps(std::span<const uint8_t> nal_unit);

}  // namespace sluice::media::codec
