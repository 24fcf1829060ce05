#pragma once
// One fMP4 fragment, moof + mdat (ISO/IEC 14496-12 8.8): an LL-HLS partial
// segment, or a run of them making a segment. Each track's samples are
// described by a tfdt (the decode time of its first sample) and a trun, and
// follow one another in the mdat, so a player needs nothing but the init
// section to decode any fragment.
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "media/frame.hpp"

namespace sluice::fmp4 {

struct Sample {
  uint32_t duration = 0;           // in the track's timescale
  int32_t composition_offset = 0;  // PTS - DTS, in the track's timescale
  bool sync = false;               // a decoder can start here
  std::span<const uint8_t> data;   // as the mdat carries it
};

struct TrackRun {
  uint32_t track_id = 0;
  uint64_t base_decode_time = 0;  // the first sample's DTS, in the track's timescale
  std::vector<Sample> samples;
};

// moof (with mfhd `sequence_number`) and mdat; tracks without samples are left out.
std::vector<uint8_t> build_fragment(uint32_t sequence_number, const std::vector<TrackRun>& runs);

// What the mdat carries of a coded frame: the NAL units as RTMP sends them
// (length-prefixed, the same form avcC/hvcC describe) or the raw AAC frame;
// nullopt for anything else (sequence headers, data, malformed headers).
std::optional<std::span<const uint8_t>> sample_data(const media::Frame& frame);

}  // namespace sluice::fmp4
