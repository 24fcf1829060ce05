#include "rtmp/chunk_writer.hpp"

#include <algorithm>

#include "base/byte_io.hpp"

namespace sluice::rtmp {
namespace {

constexpr uint32_t kExtendedTimestampMarker = 0xFFFFFF;

void write_basic_header(ByteWriter& w, uint8_t fmt, uint32_t csid) {
  if (csid < 64) {
    w.u8(static_cast<uint8_t>(fmt << 6 | csid));
  } else if (csid < 320) {
    w.u8(static_cast<uint8_t>(fmt << 6));
    w.u8(static_cast<uint8_t>(csid - 64));
  } else {
    w.u8(static_cast<uint8_t>(fmt << 6 | 1));
    w.u8(static_cast<uint8_t>((csid - 64) & 0xFF));
    w.u8(static_cast<uint8_t>((csid - 64) >> 8));
  }
}

size_t basic_header_size(uint32_t csid) {
  return csid < 64 ? 1 : csid < 320 ? 2 : 3;
}

}  // namespace

size_t chunked_size(uint32_t csid, uint32_t timestamp, size_t payload_size, uint32_t chunk_size) {
  const size_t chunks = payload_size == 0 ? 1 : (payload_size + chunk_size - 1) / chunk_size;
  const size_t extended = timestamp >= kExtendedTimestampMarker ? 4 : 0;
  return basic_header_size(csid) + 11 + extended +
         (chunks - 1) * (basic_header_size(csid) + extended) + payload_size;
}

void write_chunks(std::vector<uint8_t>& out, uint32_t csid, uint8_t type, uint32_t timestamp,
                  uint32_t stream_id, std::span<const uint8_t> payload, uint32_t chunk_size) {
  out.reserve(out.size() + chunked_size(csid, timestamp, payload.size(), chunk_size));
  ByteWriter w(out);
  const bool extended = timestamp >= kExtendedTimestampMarker;

  write_basic_header(w, 0, csid);
  w.u24be(extended ? kExtendedTimestampMarker : timestamp);
  w.u24be(static_cast<uint32_t>(payload.size()));
  w.u8(type);
  w.u32le(stream_id);
  if (extended) w.u32be(timestamp);

  size_t offset = 0;
  do {
    if (offset > 0) {
      write_basic_header(w, 3, csid);
      // ffmpeg, librtmp and SRS all repeat the extended timestamp on fmt 3 chunks.
      if (extended) w.u32be(timestamp);
    }
    size_t n = std::min<size_t>(chunk_size, payload.size() - offset);
    w.bytes(payload.subspan(offset, n));
    offset += n;
  } while (offset < payload.size());
}

}  // namespace sluice::rtmp
