#pragma once
// What a player needs from fMP4 (CMAF) media, without decoding: the init
// section (EXT-X-MAP) says which track is video and its timescale; each
// fragment (an LL-HLS part or segment: moof + mdat) gives every video
// sample as an access unit (access_unit.hpp), found through the traf's
// tfhd/tfdt/trun. Samples are H.264 NAL units with 4-byte lengths, as
// avcC describes them for RTMP-fed streams.
#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>

#include "access_unit.hpp"

namespace sluice::load {

struct Fmp4VideoTrack {
  uint32_t track_id = 0;
  uint32_t timescale = 0;
};

// The first video track ('vide' handler) of an init section; nullopt and
// `error` when there is none or the boxes are malformed.
std::optional<Fmp4VideoTrack> parse_fmp4_init(std::span<const uint8_t> init, std::string& error);

// Calls `on_unit` for every sample of `video` in the moof/mdat pairs of
// `fragment`, in decode order. Returns false with `error` when the boxes do
// not hold together (a size or offset outside the data).
bool scan_fmp4_fragment(std::span<const uint8_t> fragment, const Fmp4VideoTrack& video,
                        const std::function<void(const AccessUnit&)>& on_unit, std::string& error);

}  // namespace sluice::load
