#pragma once
// Reassembles RTMP messages from the chunk stream (RTMP spec 1.0, section 5.3).
//
// The reader is a pure state machine with no I/O: feed() takes whatever bytes
// the socket returned, however they are split, and hands every complete
// message to a callback. Chunk-stream control (Set Chunk Size, Abort) is
// applied here because it changes how the very next chunk is parsed; those
// messages are still passed on so the session can log them.
#include <cstdint>
#include <functional>
#include <limits>
#include <span>
#include <unordered_map>

#include "rtmp/message.hpp"

namespace sluice::rtmp {

class ChunkReader {
 public:
  using MessageHandler = std::function<void(Message&&)>;

  // max_message_size bounds memory per message; a longer one is a ProtocolError.
  // max_chunk_streams bounds how many chunk streams a peer may keep open.
  explicit ChunkReader(uint32_t max_message_size, size_t max_chunk_streams = 64);

  // Throws ProtocolError on malformed input; all bytes are consumed.
  void feed(std::span<const uint8_t> bytes, const MessageHandler& on_message);

  // Bounds the memory held by messages still being reassembled, summed over
  // every chunk stream (the per-message and per-count limits alone allow
  // their product: 63 streams x 8 MiB). Checked as each chunk arrives; going
  // over is a ProtocolError. The session raises it once a publish starts.
  void set_partial_bytes_limit(size_t limit) { partial_bytes_limit_ = limit; }
  size_t partial_bytes_limit() const { return partial_bytes_limit_; }
  // Bytes allocated for incomplete messages right now.
  size_t partial_bytes() const { return partial_bytes_; }

  uint32_t chunk_size() const { return chunk_size_; }
  uint64_t bytes_received() const { return bytes_received_; }

 private:
  // Per chunk stream state: the previous header, for fmt 1-3 compression,
  // and the message being reassembled.
  struct ChunkStream {
    uint32_t timestamp = 0;
    uint32_t timestamp_delta = 0;
    uint32_t length = 0;
    uint8_t type = 0;
    uint32_t stream_id = 0;
    bool extended_timestamp = false;
    bool has_header = false;
    std::vector<uint8_t> payload;  // bytes of the message in progress
  };

  enum class State { kBasicHeader, kMessageHeader, kPayload };

  size_t parse_header(std::span<const uint8_t> in);
  void begin_message(ChunkStream& cs, uint8_t fmt);
  void end_chunk(const MessageHandler& on_message);
  void finish_message(ChunkStream& cs, const MessageHandler& on_message);
  void apply_control(const Message& m);
  void append_payload(ChunkStream& cs, std::span<const uint8_t> bytes);
  void reserve_payload(ChunkStream& cs, size_t capacity);
  void release_payload(ChunkStream& cs);

  uint32_t max_message_size_;
  size_t max_chunk_streams_;
  size_t partial_bytes_limit_ = std::numeric_limits<size_t>::max();
  size_t partial_bytes_ = 0;   // capacity of every ChunkStream::payload
  uint32_t chunk_size_ = 128;  // spec default until the peer says otherwise
  uint64_t bytes_received_ = 0;

  State state_ = State::kBasicHeader;
  uint8_t header_[18];  // longest header: 3 basic + 11 message + 4 extended timestamp
  size_t header_have_ = 0;
  uint32_t current_csid_ = 0;
  uint32_t payload_left_in_chunk_ = 0;
  std::unordered_map<uint32_t, ChunkStream> streams_;
};

}  // namespace sluice::rtmp
