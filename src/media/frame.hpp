#pragma once
// A media frame as a publisher sent it: one FLV tag body (RTMP audio, video
// or data message). Frames are immutable once published and shared by every
// viewer; each egress format builds its wire bytes once per frame and caches
// them on the frame, so a viewer costs little more than a writev.
//
// Time: `timestamp()` is the decode time (DTS) on the stream's timeline, what
// RTMP and FLV carry; AVC/HEVC frames add a composition-time offset, so
// `pts()` is what TS and fMP4 muxers need. A sequence header carries its
// parsed decoder configuration (media/codec), parsed once per header.
#include <cstdint>
#include <memory>
#include <span>
#include <vector>

#include "media/codec/codec_config.hpp"

namespace sluice::media {

enum class FrameKind : uint8_t { kAudio = 8, kVideo = 9, kData = 18 };

// Wire encodings cached on a frame, one slot per egress format.
enum class Egress : uint8_t { kRtmp = 0, kHttpFlv = 1, kCount = 2 };

using Bytes = std::vector<uint8_t>;
using SharedBytes = std::shared_ptr<const Bytes>;

using VideoConfigPtr = std::shared_ptr<const codec::VideoConfig>;
using AudioConfigPtr = std::shared_ptr<const codec::AudioConfig>;

// The parsed configuration a sequence header frame carries (at most one set).
struct FrameConfig {
  VideoConfigPtr video;
  AudioConfigPtr audio;
};

class Frame {
 public:
  // `timestamp` is the stream's 64-bit timeline (media::Timeline), in ms.
  Frame(FrameKind kind, uint64_t timestamp, Bytes payload, FrameConfig config = {});

  FrameKind kind() const { return kind_; }
  // Decode time (DTS), ms.
  uint64_t timestamp() const { return timestamp_; }
  uint64_t dts() const { return timestamp_; }
  // PTS - DTS in ms, signed, from the AVC/HEVC video tag header; 0 for audio,
  // data and other video codecs.
  int32_t composition_offset() const { return composition_offset_; }
  // Presentation time, ms; can be below 0 only for a malformed offset at the
  // very start of a stream.
  int64_t pts() const { return static_cast<int64_t>(timestamp_) + composition_offset_; }
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
  // The parsed configuration of a sequence header; null for other frames
  // and for a header that did not parse.
  const VideoConfigPtr& video_config() const { return config_.video; }
  const AudioConfigPtr& audio_config() const { return config_.audio; }

  // Whether a message body of this kind is a sequence header, before a Frame
  // is built (the stream parses its configuration first).
  static bool classify_sequence_header(FrameKind kind, std::span<const uint8_t> payload);

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
  int32_t composition_offset_ = 0;
  bool keyframe_ = false;
  bool sequence_header_ = false;
  Bytes payload_;
  FrameConfig config_;
  mutable SharedBytes encoded_[static_cast<size_t>(Egress::kCount)];
};

using FramePtr = std::shared_ptr<const Frame>;

}  // namespace sluice::media
