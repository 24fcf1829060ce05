#pragma once
// H.264/H.265 access units as a transport stream carries them (Annex B of
// each standard): start codes instead of RTMP's length prefixes, an access
// unit delimiter first (ISO/IEC 13818-1 2.14 asks for one in every AVC
// access unit), and the parameter sets in front of every keyframe that lacks
// them, so a player can start at any segment.
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "media/codec/codec_config.hpp"

namespace sluice::ts {

// Appends the access unit whose NAL units (each behind a big-endian length
// of config.nalu_length_size() bytes) are `nal_units`. On a malformed unit
// nothing is appended and the reason is returned.
std::optional<std::string> append_annexb(const media::codec::VideoConfig& config,
                                         std::span<const uint8_t> nal_units, bool keyframe,
                                         std::vector<uint8_t>& out);

}  // namespace sluice::ts
