#pragma once
// An RTMP message as reassembled from chunks (RTMP spec 1.0, section 5.4 and 6.1).
#include <cstdint>
#include <vector>

namespace sluice::rtmp {

// Message type ids, RTMP spec sections 5.4 (protocol control), 6.2 (user control) and 7.1.
enum MessageType : uint8_t {
  kSetChunkSize = 1,
  kAbort = 2,
  kAcknowledgement = 3,
  kUserControl = 4,
  kWindowAckSize = 5,
  kSetPeerBandwidth = 6,
  kAudio = 8,
  kVideo = 9,
  kDataAmf3 = 15,
  kSharedObjectAmf3 = 16,
  kCommandAmf3 = 17,
  kDataAmf0 = 18,
  kSharedObjectAmf0 = 19,
  kCommandAmf0 = 20,
  kAggregate = 22,
};

// User control event types (RTMP spec 7.1.7).
enum UserControlEvent : uint16_t {
  kStreamBegin = 0,
  kStreamEof = 1,
  kStreamDry = 2,
  kSetBufferLength = 3,
  kStreamIsRecorded = 4,
  kPingRequest = 6,
  kPingResponse = 7,
};

struct Message {
  uint8_t type = 0;
  uint32_t timestamp = 0;  // absolute, milliseconds (deltas already applied)
  uint32_t stream_id = 0;  // message stream id
  uint32_t csid = 0;       // chunk stream it arrived on
  std::vector<uint8_t> payload;
};

}  // namespace sluice::rtmp
