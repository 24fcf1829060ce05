#pragma once
// Where an LL-HLS player is in a live playlist: the next part it wants
// (media sequence number and part index). Pure rules over a parsed playlist,
// so they are tested apart from the network.
#include <compare>
#include <cstdint>
#include <optional>

#include "media_playlist.hpp"

namespace sluice::load {

struct PartId {
  uint64_t msn = 0;
  uint32_t index = 0;
  auto operator<=>(const PartId&) const = default;
};

// Where hls.js in low-latency mode starts: the part holding the position
// PART-HOLD-BACK (else three part targets) before the end of the last listed
// part, moved back to the independent part at or before it so decoding can
// begin there. nullopt when the playlist lists no parts.
std::optional<PartId> ll_start_part(const MediaPlaylist& playlist);

// `wanted` made concrete against `playlist`: past the last part of a
// complete segment it is the next segment's part 0; older than every listed
// part (the player fell behind the window) it is the oldest listed one.
PartId ll_next_part(PartId wanted, const MediaPlaylist& playlist);

}  // namespace sluice::load
