#include "media/frame.hpp"

namespace sluice::media {
namespace {

// FLV video tag header (FLV spec v10.1, E.4.3.1) and its Enhanced RTMP
// extension (veovera enhanced-rtmp v1): when bit 7 of the first byte is set,
// bits 4-6 are the frame type and bits 0-3 the packet type. Only the first
// byte matters, whatever the FourCC, so the GOP cache works for codecs sluice
// does not otherwise understand (av01, vp09).
void classify_video(std::span<const uint8_t> p, bool& keyframe, bool& sequence_header) {
  if (p.empty()) return;
  const uint8_t first = p[0];
  if (first & 0x80) {
    const uint8_t frame_type = (first >> 4) & 0x07;
    const uint8_t packet_type = first & 0x0F;
    // Frame type 5 is a command (no FourCC, no picture) unless the packet is
    // Metadata (4); SequenceStart is 0, CodedFrames 1 and CodedFramesX 3.
    const bool command = frame_type == 5 && packet_type != 4;
    sequence_header = !command && packet_type == 0;
    keyframe = frame_type == 1 && (packet_type == 1 || packet_type == 3);
    return;
  }
  const uint8_t codec = first & 0x0F;
  // AVC (7) and the legacy HEVC id (12) carry AVCPacketType 0 = sequence header.
  sequence_header = (codec == 7 || codec == 12) && p.size() > 1 && p[1] == 0;
  keyframe = (first >> 4) == 1 && !sequence_header;
}

// FLV audio tag header (E.4.2.1): AAC (10) with AACPacketType 0 is the
// AudioSpecificConfig; Enhanced RTMP audio (9) uses packet type 0 likewise.
bool audio_is_sequence_header(std::span<const uint8_t> p) {
  if (p.empty()) return false;
  const uint8_t format = p[0] >> 4;
  if (format == 10) return p.size() > 1 && p[1] == 0;
  if (format == 9) return (p[0] & 0x0F) == 0;
  return false;
}

}  // namespace

Frame::Frame(FrameKind kind, uint64_t timestamp, Bytes payload, FrameConfig config)
    : kind_(kind), timestamp_(timestamp), payload_(std::move(payload)), config_(std::move(config)) {
  if (kind_ == FrameKind::kVideo) {
    classify_video(payload_, keyframe_, sequence_header_);
    composition_offset_ = codec::composition_offset_of(payload_);
  }
  if (kind_ == FrameKind::kAudio) sequence_header_ = audio_is_sequence_header(payload_);
}

bool Frame::classify_sequence_header(FrameKind kind, std::span<const uint8_t> payload) {
  bool keyframe = false, sequence_header = false;
  if (kind == FrameKind::kVideo) classify_video(payload, keyframe, sequence_header);
  if (kind == FrameKind::kAudio) sequence_header = audio_is_sequence_header(payload);
  return sequence_header;
}

}  // namespace sluice::media
