#pragma once
// A media frame as a publisher sent it: one FLV tag body (RTMP audio, video
// or data message). Frames are immutable once published and shared by every
// viewer; each egress format builds its wire bytes once per frame and caches
// them on the frame, so a viewer costs little more than a writev.
#include <cstdint>
#include <memory>
#include <span>
#include <vector>

namespace sluice::media {

enum class FrameKind : uint8_t { kAudio = 8, kVideo = 9, kData = 18 };

// Wire encodings cached on a frame, one slot per egress format.
enum class Egress : uint8_t { kRtmp = 0, kHttpFlv = 1, kCount = 2 };

using Bytes = std::vector<uint8_t>;
using SharedBytes = std::shared_ptr<const Bytes>;

class Frame {
 public:
  // `timestamp` is the stream's 64-bit timeline (media::Timeline), in ms.
  Frame(FrameKind kind, uint64_t timestamp, Bytes payload);

  FrameKind kind() const { return kind_; }
  uint64_t timestamp() const { return timestamp_; }
  // What RTMP and FLV carry: the low 32 bits, wrapping as the spec intends.
  uint32_t wire_timestamp() const { return static_cast<uint32_t>(timestamp_); }
  std::span<const uint8_t> payload() const { return payload_; }
  size_t size() const { return payload_.size(); }
  bool is_video() const { return kind_ == FrameKind::kVideo; }
  bool is_audio() const { return kind_ == FrameKind::kAudio; }
  // A video frame a decoder can start from (not a sequence header).
  bool is_keyframe() const { return keyframe_; }
  // Decoder configuration: AVC/HEVC record or AAC AudioSpecificConfig.
  bool is_sequence_header() const { return sequence_header_; }

  // The frame's bytes for one egress format, built by `build` on first use.
  // sluice runs each stream on one thread, so the cache needs no lock.
  template <typename Build>
  const SharedBytes& encoded(Egress format, Build&& build) const {
    auto& slot = encoded_[static_cast<size_t>(format)];
    if (!slot) slot = std::make_shared<const Bytes>(build(*this));
    return slot;
  }

 private:
  FrameKind kind_;
  uint64_t timestamp_;
  bool keyframe_ = false;
  bool sequence_header_ = false;
  Bytes payload_;
  mutable SharedBytes encoded_[static_cast<size_t>(Egress::kCount)];
};

using FramePtr = std::shared_ptr<const Frame>;

}  // namespace sluice::media
