#pragma once
// What a player needs from an MPEG-TS segment, without decoding: each video
// access unit (access_unit.hpp). The video PES stream is the first one whose
// stream_id is 0xE0-0xEF; H.264 only.
#include <cstdint>
#include <functional>
#include <span>

#include "access_unit.hpp"

namespace sluice::load {

// Calls `on_unit` for every video access unit in `segment`, in order.
// Returns false when the data is not MPEG-TS (no sync byte where one belongs).
bool scan_ts_segment(std::span<const uint8_t> segment,
                     const std::function<void(const AccessUnit&)>& on_unit);

}  // namespace sluice::load
