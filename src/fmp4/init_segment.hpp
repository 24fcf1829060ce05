#pragma once
// The initialization section of an fMP4 (CMAF) stream, as LL-HLS names with
// EXT-X-MAP: ftyp, then a moov describing each track (avc1/hvc1 with the
// publisher's decoder configuration record, mp4a with an esds around its
// AudioSpecificConfig) and an mvex, since the samples come in fragments.
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "media/frame.hpp"

namespace sluice::fmp4 {

constexpr uint32_t kVideoTrackId = 1;
constexpr uint32_t kAudioTrackId = 2;
constexpr uint32_t kVideoTimescale = 90000;

struct TrackSet {
  // The sequence header frames of the tracks to carry (null: no such track),
  // with their parsed configurations.
  media::FramePtr video_header;
  media::FramePtr audio_header;
};

// The audio track's timescale: its sampling frequency.
uint32_t audio_timescale(const media::codec::AudioConfig& config);

// The init section, or why the tracks cannot be described.
struct InitSegment {
  std::vector<uint8_t> bytes;
  std::string error;
  std::string codecs;  // the RFC 6381 CODECS attribute, e.g. "avc1.42c00a,mp4a.40.2"
};
InitSegment build_init_segment(const TrackSet& tracks);

}  // namespace sluice::fmp4
