#pragma once
// Writing ISO base media file format boxes (ISO/IEC 14496-12): big-endian
// fields, and boxes whose 32-bit size is filled in when they are closed, so
// nested boxes are written in one pass.
#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

namespace sluice::fmp4 {

class BoxWriter {
 public:
  explicit BoxWriter(std::vector<uint8_t>& out) : out_(out) {}

  // Opens a box of `type` (four characters); returns where it starts.
  size_t open(std::string_view type);
  // A full box: the type, then version and 24-bit flags.
  size_t open_full(std::string_view type, uint8_t version, uint32_t flags);
  // Writes the size of the box opened at `start`.
  void close(size_t start);

  void u8(uint8_t v) { out_.push_back(v); }
  void u16(uint16_t v);
  void u24(uint32_t v);
  void u32(uint32_t v);
  void u64(uint64_t v);
  void zeros(size_t count) { out_.insert(out_.end(), count, 0); }
  void bytes(std::span<const uint8_t> data) { out_.insert(out_.end(), data.begin(), data.end()); }
  void text(std::string_view s) { out_.insert(out_.end(), s.begin(), s.end()); }
  // Overwrites a 32-bit field written earlier (a trun's data offset).
  void patch_u32(size_t at, uint32_t v);
  size_t size() const { return out_.size(); }

 private:
  std::vector<uint8_t>& out_;
};

}  // namespace sluice::fmp4
