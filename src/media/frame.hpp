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

  // The frame's bytes for one egress format and `variant` (everything else
  // that changes the bytes, e.g. the RTMP chunk size; 0 when nothing does),
  // built by `build` on first use. The first variant of a format lives in
  // its slot; a few more are kept beside it; past that each call builds (a
  // correct answer is never another variant's bytes).
  // sluice runs each stream on one thread, so the cache needs no lock.
  template <typename Build>
  SharedBytes encoded(Egress format, uint32_t variant, Build&& build) const {
    auto& slot = encoded_[static_cast<size_t>(format)];
    if (!slot.bytes) {
      slot = {variant, std::make_shared<const Bytes>(build(*this))};
      return slot.bytes;
    }
    if (slot.variant == variant) return slot.bytes;
    for (const auto& e : other_encodings_) {
      if (e.format == format && e.encoding.variant == variant) return e.encoding.bytes;
    }
    auto bytes = std::make_shared<const Bytes>(build(*this));
    if (other_encodings_.size() < kMaxOtherEncodings)
      other_encodings_.push_back({format, {variant, bytes}});
    return bytes;
  }

 private:
  FrameKind kind_;
  uint64_t timestamp_;
  int32_t composition_offset_ = 0;
  bool keyframe_ = false;
  bool sequence_header_ = false;
  Bytes payload_;
  FrameConfig config_;
  struct Encoding {
    uint32_t variant = 0;
    SharedBytes bytes;
  };
  struct OtherEncoding {
    Egress format;
    Encoding encoding;
  };
  static constexpr size_t kMaxOtherEncodings = 4;
  mutable Encoding encoded_[static_cast<size_t>(Egress::kCount)];
  mutable std::vector<OtherEncoding> other_encodings_;
};

using FramePtr = std::shared_ptr<const Frame>;

}  // namespace sluice::media
