#pragma once
// An FLV file held in memory as a list of tags, for publishers to replay.
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace sluice::load {

struct FlvTag {
  uint8_t type = 0;  // 8 audio, 9 video, 18 script data
  uint32_t timestamp = 0;
  size_t offset = 0;  // body offset in the file
  uint32_t size = 0;
  bool sequence_header = false;  // AVC/HEVC decoder record or AAC AudioSpecificConfig
};

class FlvFile {
 public:
  static std::optional<FlvFile> load(const std::string& path, std::string& error);

  std::span<const uint8_t> body(const FlvTag& tag) const {
    return {data_.data() + tag.offset, tag.size};
  }
  const std::vector<FlvTag>& tags() const { return tags_; }
  // The onMetaData script tag, if any.
  const FlvTag* metadata() const { return metadata_ < 0 ? nullptr : &tags_[metadata_]; }
  uint32_t first_timestamp() const { return first_ts_; }
  // Timestamp span of the media tags plus one typical frame interval: how far
  // timestamps advance per loop so they stay continuous.
  uint32_t loop_ms() const { return loop_ms_; }

 private:
  std::vector<uint8_t> data_;
  std::vector<FlvTag> tags_;
  long metadata_ = -1;
  uint32_t first_ts_ = 0;
  uint32_t loop_ms_ = 0;
};

}  // namespace sluice::load
