#pragma once
// Wall-clock stamps carried inside the video: the bench's publisher adds an
// H.264 SEI NAL (user_data_unregistered, payload type 5) to every video
// frame with the system clock at the moment it hands the frame to the
// socket; a viewer that finds it in what a server delivered (RTMP, FLV, TS
// segments) knows when that frame was published. Servers pass SEI through
// untouched, so the method works for any server (nginx-rtmp's HLS writes no
// EXT-X-PROGRAM-DATE-TIME). The payload is a fixed UUID and 16 lowercase hex
// digits of microseconds since the Unix epoch: no zero bytes, so no
// emulation-prevention bytes can ever be needed.
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

namespace sluice::load {

int64_t wall_clock_us();

// A whole SEI NAL unit (header byte 0x06 first), without length prefix or
// start code.
std::vector<uint8_t> wallclock_sei_nal(int64_t unix_us);

// The stamp in an SEI NAL unit (header byte included), if it is ours.
std::optional<int64_t> parse_wallclock_sei(std::span<const uint8_t> nal);

// An FLV/RTMP AVC video body (frame/codec byte, AVCPacketType 1, CTS, NAL
// units with 4-byte lengths) with our SEI placed before its first slice.
// Anything else (a sequence header, another codec) comes back unchanged.
std::vector<uint8_t> with_wallclock_sei(std::span<const uint8_t> flv_video_body, int64_t unix_us);

}  // namespace sluice::load
