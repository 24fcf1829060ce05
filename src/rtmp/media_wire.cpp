#include "rtmp/media_wire.hpp"

#include <algorithm>

#include "base/byte_io.hpp"
#include "rtmp/chunk_writer.hpp"
#include "rtmp/protocol_messages.hpp"

namespace sluice::rtmp {
namespace {

// "@setDataFrame" as an AMF0 string: marker 0x02, length 13, the name.
constexpr uint8_t kSetDataFrame[] = {0x02, 0x00, 0x0D, '@', 's', 'e', 't', 'D',
                                     'a',  't',  'a',  'F', 'r', 'a', 'm', 'e'};

void forward_data(Message& m, const MediaSink& sink) {
  // Players expect "onMetaData ..." without the publisher's "@setDataFrame"
  // wrapper. Only the leading string is cut; the rest is passed on as sent,
  // without decoding (a large AMF0 body costs far more memory decoded).
  auto& p = m.payload;
  if (p.size() >= sizeof kSetDataFrame &&
      std::equal(std::begin(kSetDataFrame), std::end(kSetDataFrame), p.begin())) {
    p.erase(p.begin(), p.begin() + sizeof kSetDataFrame);
  }
  if (!p.empty()) sink(media::FrameKind::kData, m.timestamp, std::move(p));
}

// Aggregate message (RTMP spec 7.1.6): back-to-back FLV tags, each followed
// by its 4-byte back pointer; sub-message times are relative to the first.
void split_aggregate(const Message& m, const MediaSink& sink) {
  ByteReader r(m.payload);
  bool first = true;
  uint32_t base = 0;
  while (!r.empty()) {
    const uint8_t type = r.u8();
    const uint32_t size = r.u24be();
    uint32_t ts = r.u24be();
    ts |= uint32_t{r.u8()} << 24;
    r.u24be();  // stream id
    auto body = r.bytes(size);
    r.u32be();  // back pointer
    if (first) {
      base = ts;
      first = false;
    }
    const uint32_t timestamp = m.timestamp + (ts - base);
    if (type == kAudio || type == kVideo || type == kDataAmf0) {
      sink(static_cast<media::FrameKind>(type), timestamp,
           std::vector<uint8_t>(body.begin(), body.end()));
    }
  }
}

}  // namespace

void for_each_media(Message& m, const MediaSink& sink) {
  switch (m.type) {
    case kAudio:
      return sink(media::FrameKind::kAudio, m.timestamp, std::move(m.payload));
    case kVideo:
      return sink(media::FrameKind::kVideo, m.timestamp, std::move(m.payload));
    case kDataAmf0:
      return forward_data(m, sink);
    case kAggregate:
      return split_aggregate(m, sink);
    default:
      return;
  }
}

media::SharedBytes rtmp_bytes(const media::Frame& frame, uint32_t chunk_size) {
  // The chunk size changes where chunk headers fall, so it is part of the key.
  return frame.encoded(media::Egress::kRtmp, chunk_size, [chunk_size](const media::Frame& f) {
    uint32_t csid = f.is_video() ? kVideoCsid : f.is_audio() ? kAudioCsid : kDataCsid;
    media::Bytes out;
    write_chunks(out, csid, static_cast<uint8_t>(f.kind()), f.wire_timestamp(), kMediaStreamId,
                 f.payload(), chunk_size);
    return out;
  });
}

}  // namespace sluice::rtmp
