#pragma once
// A client-side RTMP chunk-stream parser built for counting, not keeping:
// audio, video and aggregate messages are never copied, only their first
// bytes are kept (enough to tell a keyframe or sequence header), while
// protocol control, command and data messages are reassembled whole.
// sluice's ChunkReader copies every payload into a fresh vector, which at
// 1000 viewers x 2.5 Mbit/s would cost the load tool more CPU than it needs.
// Header rules are those of rtmp/chunk_reader.cpp (RTMP spec 1.0, 5.3).
#include <array>
#include <cstdint>
#include <span>
#include <unordered_map>
#include <vector>

#include "rtmp/message.hpp"

namespace sluice::load {

class ChunkScanner {
 public:
  static constexpr size_t kHeadBytes = 8;

  struct Sink {
    // A complete audio/video/aggregate message; `head` is its first bytes.
    virtual void on_media(uint8_t type, uint32_t timestamp, uint32_t length,
                          std::span<const uint8_t> head) = 0;
    // Any other complete message, reassembled. Set Chunk Size and Abort are
    // already applied.
    virtual void on_message(rtmp::Message&& message) = 0;

   protected:
    ~Sink() = default;
  };

  // Consumes bytes up to an incomplete chunk header at the end; returns how
  // many were consumed (the caller keeps the rest for the next call).
  // Throws ProtocolError on malformed input.
  size_t scan(std::span<const uint8_t> data, Sink& sink);

 private:
  struct ChunkStream {
    uint32_t timestamp = 0;
    uint32_t delta = 0;
    uint32_t length = 0;
    uint32_t stream_id = 0;
    uint32_t left = 0;  // message bytes not yet received
    uint8_t type = 0;
    bool extended = false;
    bool keep = false;  // reassemble the body
    uint8_t head_len = 0;
    std::array<uint8_t, kHeadBytes> head{};
    std::vector<uint8_t> body;
  };

  size_t parse_header(std::span<const uint8_t> in);  // 0 = incomplete
  void finish(ChunkStream& cs, Sink& sink);

  uint32_t chunk_size_ = 128;
  uint32_t chunk_left_ = 0;  // payload bytes left in the current chunk
  uint32_t csid_ = 0;
  ChunkStream* current_ = nullptr;
  std::unordered_map<uint32_t, ChunkStream> streams_;
};

}  // namespace sluice::load
