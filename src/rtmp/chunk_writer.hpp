#pragma once
// Serialises RTMP messages into chunks (RTMP spec 1.0, section 5.3).
//
// The first chunk always carries a full fmt 0 header and the rest are fmt 3.
// That spends a few header bytes per message, but makes the output
// independent of what was sent before on the connection: the bytes of one
// media frame can be built once and shared by every viewer.
#include <cstdint>
#include <span>
#include <vector>

namespace sluice::rtmp {

void write_chunks(std::vector<uint8_t>& out, uint32_t csid, uint8_t type, uint32_t timestamp,
                  uint32_t stream_id, std::span<const uint8_t> payload, uint32_t chunk_size);

// Bytes write_chunks() will append, to size buffers up front.
size_t chunked_size(uint32_t csid, uint32_t timestamp, size_t payload_size, uint32_t chunk_size);

}  // namespace sluice::rtmp
