#pragma once
// What a player learns from one video access unit without decoding it: its
// PTS, whether it is a keyframe (an IDR slice), and the bench's wall-clock
// stamp (wallclock_sei.hpp) if it carries one. Shared by the MPEG-TS and
// fMP4 scanners, which differ only in how they find the NAL units.
#include <cstdint>
#include <optional>
#include <span>

namespace sluice::load {

struct AccessUnit {
  std::optional<int64_t> pts_ms;
  bool keyframe = false;
  std::optional<int64_t> stamp_us;  // publisher's wall clock, Unix microseconds
};

// Only the head of each access unit is looked at: the AUD, parameter sets
// and SEI come before the first slice, and the slice's NAL header says
// whether it is IDR. Scanning whole frames cost the load tool more CPU than
// the servers it measured.
constexpr size_t kAccessUnitHeadBytes = 1024;

// Notes what H.264 NAL unit `nal` (header byte first) says about `unit`.
// Returns false from the first slice on: nothing after it matters.
bool inspect_nal(std::span<const uint8_t> nal, AccessUnit& unit);

}  // namespace sluice::load
