#include "rtmp/chunk_reader.hpp"

#include <algorithm>

#include "base/byte_io.hpp"
#include "base/errors.hpp"

namespace sluice::rtmp {
namespace {

constexpr uint32_t kExtendedTimestampMarker = 0xFFFFFF;
constexpr size_t kMessageHeaderSize[4] = {11, 7, 3, 0};  // by fmt, RTMP spec 5.3.1.2

size_t basic_header_size(uint8_t first) {
  switch (first & 0x3F) {
    case 0:
      return 2;  // csid 64-319
    case 1:
      return 3;  // csid 64-65599
    default:
      return 1;
  }
}

uint32_t csid_of(const uint8_t* h) {
  switch (h[0] & 0x3F) {
    case 0:
      return 64u + h[1];
    case 1:
      return 64u + h[1] + 256u * h[2];
    default:
      return h[0] & 0x3F;
  }
}

}  // namespace

ChunkReader::ChunkReader(uint32_t max_message_size, size_t max_chunk_streams)
    : max_message_size_(max_message_size), max_chunk_streams_(max_chunk_streams) {}

void ChunkReader::feed(std::span<const uint8_t> bytes, const MessageHandler& on_message) {
  bytes_received_ += bytes.size();
  while (!bytes.empty()) {
    if (state_ != State::kPayload) {
      bytes = bytes.subspan(parse_header(bytes));
    } else {
      ChunkStream& cs = streams_[current_csid_];
      size_t n = std::min<size_t>(payload_left_in_chunk_, bytes.size());
      append_payload(cs, bytes.first(n));
      bytes = bytes.subspan(n);
      payload_left_in_chunk_ -= static_cast<uint32_t>(n);
    }
    if (state_ == State::kPayload && payload_left_in_chunk_ == 0) end_chunk(on_message);
  }
}

void ChunkReader::end_chunk(const MessageHandler& on_message) {
  ChunkStream& cs = streams_[current_csid_];
  if (cs.payload.size() == cs.length) {
    finish_message(cs, on_message);
  } else {
    state_ = State::kBasicHeader;
  }
}

// Accumulates header bytes until the whole chunk header is present, then
// applies it. Returns how many input bytes it took.
size_t ChunkReader::parse_header(std::span<const uint8_t> in) {
  size_t taken = 0;
  auto need = [&](size_t total) {
    while (header_have_ < total && taken < in.size()) header_[header_have_++] = in[taken++];
    return header_have_ >= total;
  };

  if (!need(1)) return taken;
  const size_t basic = basic_header_size(header_[0]);
  const uint8_t fmt = header_[0] >> 6;
  const size_t fixed = basic + kMessageHeaderSize[fmt];
  if (!need(fixed)) return taken;

  const uint32_t csid = csid_of(header_);
  auto it = streams_.find(csid);
  if (it == streams_.end()) {
    // A chunk stream's first chunk must carry a full header. fmt 1 is let
    // through (stream id 0) because some encoders open csid 2 with it.
    if (fmt >= 2)
      throw ProtocolError("chunk stream " + std::to_string(csid) + " opened with fmt " +
                          std::to_string(fmt));
    if (streams_.size() >= max_chunk_streams_) throw ProtocolError("too many chunk streams");
    it = streams_.emplace(csid, ChunkStream{}).first;
  }
  ChunkStream& cs = it->second;

  bool extended;
  if (fmt < 3) {
    extended = ByteReader({header_ + basic, 3}).u24be() == kExtendedTimestampMarker;
  } else {
    extended = cs.extended_timestamp;  // fmt 3 repeats the previous chunk's layout
  }
  if (!need(fixed + (extended ? 4 : 0))) return taken;

  current_csid_ = csid;
  header_have_ = 0;
  begin_message(cs, fmt);
  return taken;
}

void ChunkReader::begin_message(ChunkStream& cs, uint8_t fmt) {
  const size_t basic = basic_header_size(header_[0]);
  ByteReader h({header_ + basic, sizeof(header_) - basic});
  const bool continuing = cs.has_header && !cs.payload.empty();

  if (fmt < 3) {
    if (continuing) cs.payload.clear();  // a new header mid-message: the old one is abandoned
    uint32_t field = h.u24be();
    if (fmt <= 1) {
      cs.length = h.u24be();
      cs.type = h.u8();
    }
    if (fmt == 0) cs.stream_id = h.u32le();
    cs.extended_timestamp = field == kExtendedTimestampMarker;
    if (cs.extended_timestamp) field = h.u32be();
    // fmt 0 carries an absolute time; a later fmt 3 repeats it as a delta
    // (as ffmpeg and SRS read it).
    cs.timestamp = fmt == 0 ? field : cs.timestamp + field;
    cs.timestamp_delta = field;
    cs.has_header = true;
  } else if (!continuing) {
    // fmt 3 opening a new message: same header, timestamp advanced by the delta.
    cs.timestamp += cs.timestamp_delta;
  }
  // (an extended timestamp on a fmt 3 chunk was read above and needs no action)

  if (cs.length > max_message_size_) {
    throw ProtocolError("message of " + std::to_string(cs.length) +
                        " bytes exceeds the maximum of " + std::to_string(max_message_size_));
  }
  if (!continuing && cs.length > 0) reserve_payload(cs, std::min<uint32_t>(cs.length, 64 * 1024));

  payload_left_in_chunk_ =
      std::min<uint32_t>(chunk_size_, cs.length - static_cast<uint32_t>(cs.payload.size()));
  state_ = State::kPayload;
}

void ChunkReader::finish_message(ChunkStream& cs, const MessageHandler& on_message) {
  Message m;
  m.type = cs.type;
  m.timestamp = cs.timestamp;
  m.stream_id = cs.stream_id;
  m.csid = current_csid_;
  partial_bytes_ -= cs.payload.capacity();
  m.payload = std::move(cs.payload);
  cs.payload = {};
  state_ = State::kBasicHeader;
  apply_control(m);
  on_message(std::move(m));
}

void ChunkReader::apply_control(const Message& m) {
  if (m.type == kSetChunkSize) {
    uint32_t size = ByteReader(m.payload).u32be();
    // RTMP spec 5.4.1: the top bit must be zero; zero would never progress.
    if (size == 0 || size > 0x7FFFFFFF)
      throw ProtocolError("invalid chunk size " + std::to_string(size));
    chunk_size_ = size;
  } else if (m.type == kAbort) {
    uint32_t csid = ByteReader(m.payload).u32be();
    if (auto it = streams_.find(csid); it != streams_.end()) release_payload(it->second);
  }
}

// Every change to a payload's allocation goes through these three, so
// partial_bytes_ is what the partial messages really hold (capacity, not
// size: a reservation is memory too).
void ChunkReader::append_payload(ChunkStream& cs, std::span<const uint8_t> bytes) {
  const size_t needed = cs.payload.size() + bytes.size();
  if (needed > cs.payload.capacity()) {
    // Grow geometrically but never past the declared length, so a message
    // never holds more than its own size.
    reserve_payload(cs, std::min<size_t>(std::max(needed, 2 * cs.payload.capacity()), cs.length));
  }
  cs.payload.insert(cs.payload.end(), bytes.begin(), bytes.end());
}

void ChunkReader::reserve_payload(ChunkStream& cs, size_t capacity) {
  const size_t before = cs.payload.capacity();
  if (capacity <= before) return;
  // Checked before allocating: the limit is never exceeded, even briefly.
  if (partial_bytes_ + (capacity - before) > partial_bytes_limit_) {
    throw ProtocolError(
        "incomplete messages would hold " + std::to_string(partial_bytes_ + (capacity - before)) +
        " bytes, over this connection's limit of " + std::to_string(partial_bytes_limit_));
  }
  cs.payload.reserve(capacity);
  partial_bytes_ += cs.payload.capacity() - before;
}

void ChunkReader::release_payload(ChunkStream& cs) {
  partial_bytes_ -= cs.payload.capacity();
  cs.payload = {};
}

}  // namespace sluice::rtmp
