#include "chunk_scanner.hpp"

#include <algorithm>
#include <cstring>
#include <string>

#include "base/byte_io.hpp"
#include "base/errors.hpp"

namespace sluice::load {
namespace {

constexpr uint32_t kExtendedMarker = 0xFFFFFF;
constexpr uint32_t kMaxKeptMessage = 4 * 1024 * 1024;
constexpr size_t kMaxChunkStreams = 64;
constexpr size_t kMessageHeaderSize[4] = {11, 7, 3, 0};

bool is_media(uint8_t type) {
  return type == rtmp::kAudio || type == rtmp::kVideo || type == rtmp::kAggregate;
}

uint32_t be24(const uint8_t* p) {
  return uint32_t(p[0]) << 16 | uint32_t(p[1]) << 8 | p[2];
}
uint32_t be32(const uint8_t* p) {
  return uint32_t(p[0]) << 24 | be24(p + 1);
}

}  // namespace

size_t ChunkScanner::scan(std::span<const uint8_t> data, Sink& sink) {
  size_t pos = 0;
  while (pos < data.size()) {
    if (chunk_left_ == 0) {
      const size_t used = parse_header(data.subspan(pos));
      if (used == 0) break;  // incomplete header: wait for more bytes
      pos += used;
      if (current_->left == 0) {  // zero-length message
        finish(*current_, sink);
        continue;
      }
      chunk_left_ = std::min(chunk_size_, current_->left);
      continue;
    }
    ChunkStream& cs = *current_;
    const uint32_t take = static_cast<uint32_t>(std::min<size_t>(chunk_left_, data.size() - pos));
    const uint8_t* p = data.data() + pos;
    if (cs.keep) {
      cs.body.insert(cs.body.end(), p, p + take);
    } else if (cs.head_len < kHeadBytes) {
      const size_t n = std::min<size_t>(kHeadBytes - cs.head_len, take);
      std::memcpy(cs.head.data() + cs.head_len, p, n);
      cs.head_len = static_cast<uint8_t>(cs.head_len + n);
    }
    pos += take;
    chunk_left_ -= take;
    cs.left -= take;
    if (cs.left == 0) finish(cs, sink);
  }
  return pos;
}

size_t ChunkScanner::parse_header(std::span<const uint8_t> in) {
  const uint8_t* h = in.data();
  const uint8_t fmt = h[0] >> 6;
  size_t basic = 1;
  uint32_t csid = h[0] & 0x3F;
  if (csid == 0) {
    if (in.size() < 2) return 0;
    basic = 2;
    csid = 64u + h[1];
  } else if (csid == 1) {
    if (in.size() < 3) return 0;
    basic = 3;
    csid = 64u + h[1] + 256u * h[2];
  }
  const size_t fixed = basic + kMessageHeaderSize[fmt];
  if (in.size() < fixed) return 0;

  auto it = streams_.find(csid);
  if (it == streams_.end()) {
    if (fmt >= 2) {
      throw ProtocolError("chunk stream " + std::to_string(csid) + " opened with fmt " +
                          std::to_string(fmt));
    }
    if (streams_.size() >= kMaxChunkStreams) throw ProtocolError("too many chunk streams");
    it = streams_.emplace(csid, ChunkStream{}).first;
  }
  ChunkStream& cs = it->second;
  const uint8_t* m = h + basic;
  const bool extended = fmt < 3 ? be24(m) == kExtendedMarker : cs.extended;
  const size_t total = fixed + (extended ? 4 : 0);
  if (in.size() < total) return 0;

  const bool continuing = fmt == 3 && cs.left > 0;
  if (!continuing) {
    if (fmt < 3) {
      uint32_t field = be24(m);
      if (fmt <= 1) {
        cs.length = be24(m + 3);
        cs.type = m[6];
      }
      if (fmt == 0) {
        cs.stream_id =
            uint32_t(m[7]) | uint32_t(m[8]) << 8 | uint32_t(m[9]) << 16 | uint32_t(m[10]) << 24;
      }
      cs.extended = extended;
      if (extended) field = be32(h + fixed);
      cs.timestamp = fmt == 0 ? field : cs.timestamp + field;
      cs.delta = field;
    } else {
      cs.timestamp += cs.delta;
    }
    cs.left = cs.length;
    cs.keep = !is_media(cs.type);
    cs.head_len = 0;
    cs.body.clear();
    if (cs.keep) {
      if (cs.length > kMaxKeptMessage) {
        throw ProtocolError("control message of " + std::to_string(cs.length) + " bytes");
      }
      cs.body.reserve(cs.length);
    }
  }
  csid_ = csid;
  current_ = &cs;
  return total;
}

void ChunkScanner::finish(ChunkStream& cs, Sink& sink) {
  chunk_left_ = 0;
  if (!cs.keep) {
    sink.on_media(cs.type, cs.timestamp, cs.length, {cs.head.data(), cs.head_len});
    return;
  }
  rtmp::Message m;
  m.type = cs.type;
  m.timestamp = cs.timestamp;
  m.stream_id = cs.stream_id;
  m.csid = csid_;
  m.payload = std::move(cs.body);
  cs.body = {};
  if (m.type == rtmp::kSetChunkSize && m.payload.size() >= 4) {
    const uint32_t size = be32(m.payload.data()) & 0x7FFFFFFF;
    if (size == 0) throw ProtocolError("chunk size 0");
    chunk_size_ = size;
  } else if (m.type == rtmp::kAbort && m.payload.size() >= 4) {
    const uint32_t csid = be32(m.payload.data());
    if (auto it = streams_.find(csid); it != streams_.end()) {
      it->second.left = 0;
      it->second.body.clear();
    }
  }
  sink.on_message(std::move(m));
}

}  // namespace sluice::load
