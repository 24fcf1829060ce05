#include "media/codec/bit_reader.hpp"

namespace sluice::media::codec {

uint32_t BitReader::bits(unsigned count) {
  if (count > 32) throw CodecError("bit field wider than 32 bits");
  if (count > bits_left()) throw CodecError("data ends early");
  uint32_t value = 0;
  for (unsigned i = 0; i < count; ++i) {
    const uint8_t byte = data_[position_ / 8];
    value = (value << 1) | ((byte >> (7 - position_ % 8)) & 1u);
    ++position_;
  }
  return value;
}

void BitReader::skip(size_t count) {
  if (count > bits_left()) throw CodecError("data ends early");
  position_ += count;
}

uint32_t BitReader::ue() {
  unsigned leading_zeros = 0;
  while (!flag()) {
    // 2^32 - 1 needs 31 leading zeros at most; more is not a 32-bit value.
    if (++leading_zeros > 31) throw CodecError("Exp-Golomb code longer than 32 bits");
  }
  if (leading_zeros == 0) return 0;
  return static_cast<uint32_t>((uint64_t{1} << leading_zeros) - 1 + bits(leading_zeros));
}

int64_t BitReader::se() {
  const uint32_t k = ue();
  // k = 1, 2, 3, 4 ... -> 1, -1, 2, -2 ...; k < 2^32, so the magnitude fits.
  const int64_t magnitude = (int64_t{k} + 1) / 2;
  return k % 2 ? magnitude : -magnitude;
}

std::vector<uint8_t> rbsp_of(std::span<const uint8_t> nal_unit) {
  std::vector<uint8_t> out;
  out.reserve(nal_unit.size());
  size_t zeros = 0;
  for (uint8_t byte : nal_unit) {
    if (zeros >= 2 && byte == 0x03) {
      zeros = 0;
      continue;
    }
    zeros = byte == 0 ? zeros + 1 : 0;
    out.push_back(byte);
  }
  return out;
}

}  // namespace sluice::media::codec
