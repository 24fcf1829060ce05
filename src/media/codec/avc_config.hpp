#pragma once
// H.264: the AVCDecoderConfigurationRecord an FLV/RTMP AVC sequence header
// carries (ISO/IEC 14496-15 5.3.3.1), and the fields of its first sequence
// parameter set that muxers need (ITU-T H.264 7.3.2.1.1).
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "media/codec/parsed.hpp"
#include "media/codec/picture_size.hpp"

namespace sluice::media::codec {

struct AvcConfig {
  uint8_t profile = 0;        // AVCProfileIndication (66 baseline, 77 main, 100 high, ...)
  uint8_t compatibility = 0;  // profile_compatibility (constraint_set flags)
  uint8_t level = 0;          // AVCLevelIndication, e.g. 31 for 3.1
  uint8_t nalu_length_size = 4;
  std::vector<std::vector<uint8_t>> sps;
  std::vector<std::vector<uint8_t>> pps;
  // From the first SPS; empty when it could not be read (the record itself
  // is still usable: muxers copy the parameter sets as they are).
  std::optional<SpsSummary> picture;
};

Parsed<AvcConfig> parse_avc_config(std::span<const uint8_t> record);
// One SPS NAL unit (header byte included).
Parsed<SpsSummary> parse_avc_sps(std::span<const uint8_t> nal_unit);

}  // namespace sluice::media::codec
