#pragma once
// The header at the start of an FLV/RTMP video or audio message body
// (FLV spec v10.1, E.4.3.1 VIDEODATA and E.4.2.1 AUDIODATA).
//
// Video: legacy headers with codec id 7 (AVC) and 12 (HEVC, the unofficial
// id ffmpeg forks, SRS and Chinese CDNs use) carry a packet type and a
// signed 24-bit composition-time offset before the codec data. Enhanced RTMP
// (veovera v1: bit 7 of the first byte set, a FourCC such as 'hvc1') is
// recognised and reported as unsupported: ffmpeg 5.1 (Debian 12) does not
// produce it, and its HEVC packets are laid out differently.
#include <cstdint>
#include <span>

#include "media/codec/parsed.hpp"

namespace sluice::media::codec {

enum class VideoCodec : uint8_t { kAvc = 7, kHevc = 12 };
enum class VideoPacket : uint8_t { kSequenceHeader = 0, kNalUnits = 1, kEndOfSequence = 2 };

struct VideoTagHeader {
  uint8_t frame_type = 0;  // 1 keyframe, 2 inter frame, 5 info/command
  VideoCodec codec = VideoCodec::kAvc;
  VideoPacket packet = VideoPacket::kNalUnits;
  int32_t composition_offset = 0;  // ms, PTS - DTS
  std::span<const uint8_t> body;   // decoder configuration record or NAL units
};

Parsed<VideoTagHeader> parse_video_tag_header(std::span<const uint8_t> payload);

// Signed 24-bit composition time offset of an AVC/HEVC packet; 0 for
// anything else (other codecs, audio, short or malformed headers).
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
