#pragma once
// What a player needs from an MPEG-TS segment, without decoding: each video
// access unit's PTS, whether it is a keyframe (an IDR slice), and the
// bench's wall-clock stamp (wallclock_sei.hpp) if it carries one. The video
// PES stream is the first one whose stream_id is 0xE0-0xEF; H.264 only.
#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <vector>

namespace sluice::load {

struct TsAccessUnit {
  std::optional<int64_t> pts_ms;  // 90 kHz PTS in milliseconds
  bool keyframe = false;
  std::optional<int64_t> stamp_us;  // publisher's wall clock, Unix microseconds
};

// Calls `on_unit` for every video access unit in `segment`, in order.
// Returns false when the data is not MPEG-TS (no sync byte where one belongs).
bool scan_ts_segment(std::span<const uint8_t> segment,
                     const std::function<void(const TsAccessUnit&)>& on_unit);

}  // namespace sluice::load
