#pragma once
// Display size from a sequence parameter set, after the cropping window.
#include <cstdint>

namespace sluice::media::codec {

struct PictureSize {
  uint32_t width = 0;
  uint32_t height = 0;
  bool operator==(const PictureSize&) const = default;
};

// What an SPS says about the decoded picture.
struct SpsSummary {
  PictureSize size;
  uint32_t chroma_format_idc = 1;  // 0 monochrome, 1 4:2:0, 2 4:2:2, 3 4:4:4
  uint32_t bit_depth_luma = 8;
  uint32_t bit_depth_chroma = 8;
};

}  // namespace sluice::media::codec
