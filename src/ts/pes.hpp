#pragma once
// A PES packet header (ISO/IEC 13818-1 2.4.3.6) in front of one access unit:
// the stream id, PTS and (when it differs) DTS on the 90 kHz clock.
#include <cstdint>
#include <optional>
#include <vector>

namespace sluice::ts {

constexpr uint8_t kVideoStreamId = 0xE0;
constexpr uint8_t kAudioStreamId = 0xC0;

// Appends the header for a payload of `payload_size` bytes. Video may leave
// the length unbounded (0), as a frame can exceed PES's 16-bit length.
void put_pes_header(std::vector<uint8_t>& out, uint8_t stream_id, size_t payload_size, uint64_t pts,
                    std::optional<uint64_t> dts);

}  // namespace sluice::ts
