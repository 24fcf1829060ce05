#include "flv_file.hpp"

#include <algorithm>
#include <fstream>
#include <iterator>

#include "media/frame.hpp"

namespace sluice::load {

std::optional<FlvFile> FlvFile::load(const std::string& path, std::string& error) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    error = "cannot open " + path;
    return std::nullopt;
  }
  FlvFile f;
  f.data_.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  const auto& d = f.data_;
  if (d.size() < 13 || d[0] != 'F' || d[1] != 'L' || d[2] != 'V') {
    error = path + " is not an FLV file";
    return std::nullopt;
  }
  const size_t header = uint32_t(d[5]) << 24 | uint32_t(d[6]) << 16 | uint32_t(d[7]) << 8 | d[8];
  size_t pos = header + 4;  // PreviousTagSize0
  bool have_media = false;
  uint32_t last_ts = 0, first_video = 0, last_video = 0, video_frames = 0;
  while (pos + 11 <= d.size()) {
    FlvTag t;
    t.type = d[pos] & 0x1F;
    t.size = uint32_t(d[pos + 1]) << 16 | uint32_t(d[pos + 2]) << 8 | d[pos + 3];
    t.timestamp = uint32_t(d[pos + 7]) << 24 | uint32_t(d[pos + 4]) << 16 |
                  uint32_t(d[pos + 5]) << 8 | d[pos + 6];
    t.offset = pos + 11;
    if (t.offset + t.size > d.size()) break;  // truncated last tag
    pos = t.offset + t.size + 4;
    if (t.type == 18) {
      if (f.metadata_ < 0) f.metadata_ = static_cast<long>(f.tags_.size());
      f.tags_.push_back(t);
      continue;
    }
    if (t.type != 8 && t.type != 9) continue;
    media::Frame frame(
        t.type == 9 ? media::FrameKind::kVideo : media::FrameKind::kAudio, t.timestamp,
        media::Bytes(d.begin() + static_cast<long>(t.offset),
                     d.begin() + static_cast<long>(t.offset + std::min<uint32_t>(t.size, 8))));
    t.sequence_header = frame.is_sequence_header();
    if (!have_media) f.first_ts_ = t.timestamp;
    have_media = true;
    last_ts = std::max(last_ts, t.timestamp);
    if (t.type == 9 && !t.sequence_header) {
      if (video_frames == 0) first_video = t.timestamp;
      last_video = t.timestamp;
      ++video_frames;
    }
    f.tags_.push_back(t);
  }
  if (!have_media) {
    error = path + " has no audio or video tags";
    return std::nullopt;
  }
  const uint32_t frame_ms = video_frames > 1 ? (last_video - first_video) / (video_frames - 1) : 40;
  f.loop_ms_ = last_ts - f.first_ts_ + std::max<uint32_t>(frame_ms, 1);
  return f;
}

}  // namespace sluice::load
