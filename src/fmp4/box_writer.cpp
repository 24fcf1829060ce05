#include "fmp4/box_writer.hpp"

#include <cassert>

namespace sluice::fmp4 {

size_t BoxWriter::open(std::string_view type) {
  assert(type.size() == 4);
  const size_t start = out_.size();
  u32(0);  // the size, once known
  text(type);
  return start;
}

size_t BoxWriter::open_full(std::string_view type, uint8_t version, uint32_t flags) {
  const size_t start = open(type);
  u8(version);
  u24(flags);
  return start;
}

void BoxWriter::close(size_t start) {
  patch_u32(start, static_cast<uint32_t>(out_.size() - start));
}

void BoxWriter::u16(uint16_t v) {
  out_.push_back(static_cast<uint8_t>(v >> 8));
  out_.push_back(static_cast<uint8_t>(v));
}

void BoxWriter::u24(uint32_t v) {
  out_.push_back(static_cast<uint8_t>(v >> 16));
  out_.push_back(static_cast<uint8_t>(v >> 8));
  out_.push_back(static_cast<uint8_t>(v));
}

void BoxWriter::u32(uint32_t v) {
  u16(static_cast<uint16_t>(v >> 16));
  u16(static_cast<uint16_t>(v));
}

void BoxWriter::u64(uint64_t v) {
  u32(static_cast<uint32_t>(v >> 32));
  u32(static_cast<uint32_t>(v));
}

void BoxWriter::patch_u32(size_t at, uint32_t v) {
  out_[at] = static_cast<uint8_t>(v >> 24);
  out_[at + 1] = static_cast<uint8_t>(v >> 16);
  out_[at + 2] = static_cast<uint8_t>(v >> 8);
  out_[at + 3] = static_cast<uint8_t>(v);
}

}  // namespace sluice::fmp4
