#pragma once
// Builders for the messages a server sends: protocol control (RTMP spec 5.4),
// user control (7.1.7) and AMF0 command replies (7.2). Each returns the
// chunked wire bytes, ready to write.
#include <cstdint>
#include <string_view>
#include <vector>

#include "rtmp/amf0.hpp"

namespace sluice::rtmp {

// Chunk stream ids sluice sends on (the ones ffmpeg and FMS use).
inline constexpr uint32_t kControlCsid = 2;
inline constexpr uint32_t kCommandCsid = 3;
inline constexpr uint32_t kAudioCsid = 4;
inline constexpr uint32_t kDataCsid = 5;
inline constexpr uint32_t kVideoCsid = 6;
// The one message stream createStream hands out.
inline constexpr uint32_t kMediaStreamId = 1;

using Wire = std::vector<uint8_t>;

Wire set_chunk_size(uint32_t size);
Wire window_ack_size(uint32_t size);
Wire set_peer_bandwidth(uint32_t size, uint8_t limit_type);
Wire acknowledgement(uint32_t sequence_number);
Wire user_control(uint16_t event, uint32_t value, uint32_t chunk_size);
Wire ping_response(uint32_t timestamp, uint32_t chunk_size);

// A command message (type 20) on the command chunk stream.
Wire command(uint32_t stream_id, const std::vector<amf0::Value>& values, uint32_t chunk_size);
// A data message (type 18), e.g. |RtmpSampleAccess.
Wire data_message(uint32_t stream_id, const std::vector<amf0::Value>& values, uint32_t chunk_size);

// onStatus(0, null, {level, code, description}) on the media stream.
Wire on_status(std::string_view level, std::string_view code, std::string_view description,
               uint32_t chunk_size);

}  // namespace sluice::rtmp
