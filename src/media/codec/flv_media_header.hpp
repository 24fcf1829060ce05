#pragma once
// The header at the start of an FLV/RTMP video or audio message body
// (FLV spec v10.1, E.4.3.1 VIDEODATA and E.4.2.1 AUDIODATA).
//
// Video comes in two layouts that end up in one VideoTagHeader:
// - legacy: codec id 7 (AVC) or 12 (HEVC, the unofficial id ffmpeg forks,
//   SRS and Chinese CDNs use), a packet type and a signed 24-bit
//   composition-time offset before the codec data;
// - Enhanced RTMP (veovera enhanced-rtmp v1, ExVideoTagHeader): bit 7 of the
//   first byte set, the frame type in bits 4-6, a packet type in bits 0-3,
//   then a FourCC. 'hvc1' (and 'avc1', the same layout in v2) is understood;
//   'av01', 'vp09' and the v2 multitrack/ModEx packets are reported as
//   unsupported, and their bytes still reach RTMP/FLV viewers as sent.
#include <cstdint>
#include <span>

#include "media/codec/parsed.hpp"

namespace sluice::media::codec {

enum class VideoCodec : uint8_t { kAvc = 7, kHevc = 12 };
enum class VideoPacket : uint8_t {
  kSequenceHeader = 0,  // decoder configuration record (Enhanced: SequenceStart)
  kNalUnits = 1,        // length-prefixed NAL units (Enhanced: CodedFrames/CodedFramesX)
  kEndOfSequence = 2,
  kMetadata = 3,  // Enhanced RTMP only: AMF metadata (e.g. HDR colour info), no picture
  kCommand = 4,   // Enhanced RTMP only: frame type 5 with a command byte, no picture
};

struct VideoTagHeader {
  uint8_t frame_type = 0;  // 1 keyframe, 2 inter frame, 5 info/command
  VideoCodec codec = VideoCodec::kAvc;
  VideoPacket packet = VideoPacket::kNalUnits;
  bool enhanced = false;           // ExVideoTagHeader (Enhanced RTMP)
  int32_t composition_offset = 0;  // ms, PTS - DTS
  std::span<const uint8_t> body;   // decoder configuration record, NAL units or metadata
};

Parsed<VideoTagHeader> parse_video_tag_header(std::span<const uint8_t> payload);

// Signed 24-bit composition time offset of an AVC/HEVC packet (legacy, or
// Enhanced RTMP CodedFrames); 0 for anything else (CodedFramesX, other
// codecs, audio, short or malformed headers).
int32_t composition_offset_of(std::span<const uint8_t> video_payload);

enum class AudioCodec : uint8_t { kAac = 10 };

struct AudioTagHeader {
  AudioCodec codec = AudioCodec::kAac;
  bool sequence_header = false;  // AACPacketType 0: AudioSpecificConfig
  std::span<const uint8_t> body;
};

// AAC only: other sound formats are reported as unsupported.
Parsed<AudioTagHeader> parse_audio_tag_header(std::span<const uint8_t> payload);

}  // namespace sluice::media::codec
