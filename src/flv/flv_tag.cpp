#include "flv/flv_tag.hpp"

#include "base/byte_io.hpp"

namespace sluice::flv {

media::Bytes file_header(bool has_audio, bool has_video) {
  media::Bytes out;
  ByteWriter w(out);
  w.string("FLV");
  w.u8(1);
  w.u8(static_cast<uint8_t>((has_audio ? 0x04 : 0) | (has_video ? 0x01 : 0)));
  w.u32be(9);
  w.u32be(0);
  return out;
}

media::Bytes tag(const media::Frame& frame) {
  media::Bytes out;
  out.reserve(11 + frame.size() + 4);
  ByteWriter w(out);
  w.u8(static_cast<uint8_t>(frame.kind()));
  w.u24be(static_cast<uint32_t>(frame.size()));
  const uint32_t timestamp = frame.wire_timestamp();
  w.u24be(timestamp & 0xFFFFFF);  // lower 24 bits, then the extension byte
  w.u8(static_cast<uint8_t>(timestamp >> 24));
  w.u24be(0);  // stream id, always 0
  w.bytes(frame.payload());
  w.u32be(static_cast<uint32_t>(11 + frame.size()));
  return out;
}

media::SharedBytes shared_tag(const media::Frame& frame) {
  return frame.encoded(media::Egress::kHttpFlv, 0, tag);  // nothing else changes a tag
}

}  // namespace sluice::flv
