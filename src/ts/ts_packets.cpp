#include "ts/ts_packets.hpp"

#include <algorithm>
#include <cassert>

namespace sluice::ts {
namespace {

constexpr size_t kHeaderSize = 4;
constexpr size_t kPcrSize = 6;

void put_pcr(uint64_t base, uint8_t* p) {
  base &= kTimestampMask;
  p[0] = static_cast<uint8_t>(base >> 25);
  p[1] = static_cast<uint8_t>(base >> 17);
  p[2] = static_cast<uint8_t>(base >> 9);
  p[3] = static_cast<uint8_t>(base >> 1);
  // The base's last bit, six reserved bits set, then a 9-bit extension of 0.
  p[4] = static_cast<uint8_t>(((base & 1) << 7) | 0x7E);
  p[5] = 0;
}

}  // namespace

void PidWriter::write(const PayloadUnit& unit, std::vector<uint8_t>& out) {
  assert(unit.pid == pid_);
  std::span<const uint8_t> left = unit.payload;
  bool first = true;
  do {
    const bool with_pcr = first && unit.pcr.has_value();
    const bool flagged = first && (with_pcr || unit.random_access);
    // The adaptation field's size without stuffing: its length byte, then
    // (when anything is flagged) the flags byte and the PCR.
    size_t field = flagged ? 2 + (with_pcr ? kPcrSize : 0) : 0;
    size_t room = kPacketSize - kHeaderSize - field;
    if (left.size() < room) {
      // The last packet: stuffing in the adaptation field fills it up.
      field = kPacketSize - kHeaderSize - left.size();
      room = left.size();
    }
    const size_t start = out.size();
    out.resize(start + kPacketSize, 0xFF);
    uint8_t* p = out.data() + start;
    p[0] = kSyncByte;
    p[1] = static_cast<uint8_t>((first ? 0x40 : 0x00) | ((pid_ >> 8) & 0x1F));
    p[2] = static_cast<uint8_t>(pid_ & 0xFF);
    p[3] = static_cast<uint8_t>((field > 0 ? 0x30 : 0x10) | (continuity_ & 0x0F));
    continuity_ = (continuity_ + 1) & 0x0F;
    uint8_t* q = p + kHeaderSize;
    if (field > 0) {
      q[0] = static_cast<uint8_t>(field - 1);  // adaptation_field_length
      if (field > 1) {
        q[1] =
            static_cast<uint8_t>((first && unit.random_access ? 0x40 : 0) | (with_pcr ? 0x10 : 0));
        if (with_pcr) put_pcr(*unit.pcr, q + 2);
      }
      q += field;  // the rest of the field stays 0xFF: stuffing
    }
    std::copy_n(left.begin(), room, q);
    left = left.subspan(room);
    first = false;
  } while (!left.empty());
}

}  // namespace sluice::ts
