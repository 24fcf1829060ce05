#pragma once
// Reading H.264/H.265 parameter sets: an MSB-first bit reader with
// Exp-Golomb codes (ITU-T H.264 9.1), and emulation-prevention removal
// (7.4.1) that turns a NAL unit into its RBSP. Every read is bounds-checked:
// running off the end throws CodecError, which the codec parsers turn into a
// Parsed failure.
#include <cstdint>
#include <span>
#include <stdexcept>
#include <vector>

namespace sluice::media::codec {

class CodecError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class BitReader {
 public:
  explicit BitReader(std::span<const uint8_t> data) : data_(data) {}

  // Up to 32 bits, most significant first.
  uint32_t bits(unsigned count);
  bool flag() { return bits(1) != 0; }
  void skip(size_t count);
  // ue(v): unsigned Exp-Golomb; values beyond 32 bits are malformed.
  uint32_t ue();
  // se(v): signed Exp-Golomb.
  int64_t se();
  size_t bits_left() const { return data_.size() * 8 - position_; }

 private:
  std::span<const uint8_t> data_;
  size_t position_ = 0;  // in bits
};

// The NAL unit without its emulation-prevention bytes (00 00 03 -> 00 00).
std::vector<uint8_t> rbsp_of(std::span<const uint8_t> nal_unit);

}  // namespace sluice::media::codec
