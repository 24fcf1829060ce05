#pragma once
// Reading the tags of a small FLV file in tests/fixtures (FLV spec v10.1,
// E.2-E.3): the header, then tags each followed by a 4-byte back pointer.
#include <cstdint>
#include <stdexcept>
#include <string_view>
#include <vector>

#include "fixtures.hpp"

namespace sluice::test {

struct FlvTag {
  uint8_t type = 0;  // 8 audio, 9 video, 18 data
  uint32_t timestamp = 0;
  std::vector<uint8_t> body;
};

inline std::vector<FlvTag> read_flv_fixture(std::string_view relative) {
  const std::string text = read_fixture_text(relative);
  const auto* p = reinterpret_cast<const uint8_t*>(text.data());
  const size_t n = text.size();
  if (n < 13 || text.compare(0, 3, "FLV") != 0) throw std::runtime_error("not an FLV file");
  size_t pos = (uint32_t{p[5]} << 24 | uint32_t{p[6]} << 16 | uint32_t{p[7]} << 8 | p[8]) + 4;
  std::vector<FlvTag> tags;
  while (pos + 11 <= n) {
    FlvTag tag;
    tag.type = p[pos] & 0x1F;
    const size_t size = uint32_t{p[pos + 1]} << 16 | uint32_t{p[pos + 2]} << 8 | p[pos + 3];
    tag.timestamp = uint32_t{p[pos + 7]} << 24 | uint32_t{p[pos + 4]} << 16 |
                    uint32_t{p[pos + 5]} << 8 | p[pos + 6];
    if (pos + 11 + size + 4 > n) throw std::runtime_error("FLV tag runs past the file");
    tag.body.assign(p + pos + 11, p + pos + 11 + size);
    tags.push_back(std::move(tag));
    pos += 11 + size + 4;
  }
  return tags;
}

// The first tag of a type whose second byte is 0 (AVC/AAC sequence header).
inline std::vector<uint8_t> first_sequence_header(const std::vector<FlvTag>& tags, uint8_t type) {
  for (const auto& t : tags) {
    if (t.type == type && t.body.size() > 1 && t.body[1] == 0) return t.body;
  }
  throw std::runtime_error("no sequence header in the FLV fixture");
}

}  // namespace sluice::test
