#pragma once
// Big-endian readers and writers for the byte layouts of RTMP, AMF0 and FLV.
// ByteReader never reads past its span: a short read throws ProtocolError.
#include <cstdint>
#include <cstring>
#include <span>
#include <string_view>
#include <vector>

#include "base/errors.hpp"

namespace sluice {

class ByteReader {
 public:
  explicit ByteReader(std::span<const uint8_t> data) : data_(data) {}

  size_t remaining() const { return data_.size() - pos_; }
  size_t position() const { return pos_; }
  bool empty() const { return remaining() == 0; }

  uint8_t u8() { return take(1)[0]; }
  uint16_t u16be() { return static_cast<uint16_t>(be(take(2))); }
  uint32_t u24be() { return static_cast<uint32_t>(be(take(3))); }
  uint32_t u32be() { return static_cast<uint32_t>(be(take(4))); }
  uint32_t u32le() {
    auto b = take(4);
    return uint32_t(b[0]) | uint32_t(b[1]) << 8 | uint32_t(b[2]) << 16 | uint32_t(b[3]) << 24;
  }
  double f64be() {
    uint64_t bits = be(take(8));
    double value;
    std::memcpy(&value, &bits, sizeof value);
    return value;
  }
  std::span<const uint8_t> bytes(size_t n) { return take(n); }
  std::string_view string(size_t n) {
    auto b = take(n);
    return {reinterpret_cast<const char*>(b.data()), b.size()};
  }
  uint8_t peek() const {
    if (empty()) throw ProtocolError("truncated input");
    return data_[pos_];
  }

 private:
  std::span<const uint8_t> take(size_t n) {
    if (n > remaining()) throw ProtocolError("truncated input");
    auto out = data_.subspan(pos_, n);
    pos_ += n;
    return out;
  }
  static uint64_t be(std::span<const uint8_t> b) {
    uint64_t v = 0;
    for (uint8_t x : b) v = (v << 8) | x;
    return v;
  }

  std::span<const uint8_t> data_;
  size_t pos_ = 0;
};

class ByteWriter {
 public:
  explicit ByteWriter(std::vector<uint8_t>& out) : out_(out) {}

  void u8(uint8_t v) { out_.push_back(v); }
  void u16be(uint16_t v) { be(v, 2); }
  void u24be(uint32_t v) { be(v, 3); }
  void u32be(uint32_t v) { be(v, 4); }
  void u32le(uint32_t v) {
    for (int i = 0; i < 4; ++i) out_.push_back(static_cast<uint8_t>(v >> (8 * i)));
  }
  void f64be(double v) {
    uint64_t bits;
    std::memcpy(&bits, &v, sizeof bits);
    be(bits, 8);
  }
  void bytes(std::span<const uint8_t> b) { append(b.data(), b.size()); }
  void string(std::string_view s) { append(s.data(), s.size()); }

 private:
  // resize + memcpy rather than insert(): GCC 12 warns falsely
  // (-Wstringop-overflow) on vector::insert of a span after reserve().
  void append(const void* data, size_t n) {
    if (n == 0) return;
    const size_t old = out_.size();
    out_.resize(old + n);
    std::memcpy(out_.data() + old, data, n);
  }
  void be(uint64_t v, int n) {
    for (int i = n - 1; i >= 0; --i) out_.push_back(static_cast<uint8_t>(v >> (8 * i)));
  }
  std::vector<uint8_t>& out_;
};

}  // namespace sluice
