#include "ts/pes.hpp"

#include "ts/ts_packets.hpp"

namespace sluice::ts {
namespace {

// A 33-bit timestamp in 5 bytes with marker bits; `prefix` is 0010 (PTS
// alone), 0011 (PTS before a DTS) or 0001 (the DTS).
void put_timestamp(std::vector<uint8_t>& out, uint8_t prefix, uint64_t t) {
  t &= kTimestampMask;
  out.push_back(static_cast<uint8_t>((prefix << 4) | ((t >> 29) & 0x0E) | 1));
  out.push_back(static_cast<uint8_t>(t >> 22));
  out.push_back(static_cast<uint8_t>(((t >> 14) & 0xFE) | 1));
  out.push_back(static_cast<uint8_t>(t >> 7));
  out.push_back(static_cast<uint8_t>(((t << 1) & 0xFE) | 1));
}

}  // namespace

void put_pes_header(std::vector<uint8_t>& out, uint8_t stream_id, size_t payload_size, uint64_t pts,
                    std::optional<uint64_t> dts) {
  const bool with_dts = dts && (*dts & kTimestampMask) != (pts & kTimestampMask);
  const uint64_t decode_time = with_dts ? *dts : 0;
  const size_t header_data = with_dts ? 10 : 5;
  const size_t after_length = 3 + header_data + payload_size;
  const uint16_t length = stream_id == kVideoStreamId || after_length > 0xFFFF
                              ? 0
                              : static_cast<uint16_t>(after_length);
  out.insert(out.end(), {0x00, 0x00, 0x01, stream_id});
  out.push_back(static_cast<uint8_t>(length >> 8));
  out.push_back(static_cast<uint8_t>(length & 0xFF));
  // '10', not scrambled, no priority, data_alignment_indicator, no copyright.
  out.push_back(0x84);
  out.push_back(with_dts ? 0xC0 : 0x80);  // PTS_DTS_flags
  out.push_back(static_cast<uint8_t>(header_data));
  put_timestamp(out, with_dts ? 0x3 : 0x2, pts);
  if (with_dts) put_timestamp(out, 0x1, decode_time);
}

}  // namespace sluice::ts
