// A publisher's media message (first byte: message type) through
// for_each_media, frame classification and both egress encodings. The RTMP
// encoding read back with the chunk reader must give the frame unchanged.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

#include "base/errors.hpp"
#include "config/config.hpp"
#include "flv/flv_tag.hpp"
#include "media/frame.hpp"
#include "rtmp/chunk_reader.hpp"
#include "rtmp/media_wire.hpp"

using namespace sluice;

namespace {

void check_frame(const media::Frame& frame) {
  auto tag = flv::shared_tag(frame);
  if (tag->size() != 11 + frame.size() + 4) __builtin_trap();
  const config::RtmpConfig limits;
  auto wire = rtmp::rtmp_bytes(frame, 128);
  rtmp::ChunkReader reader(limits.max_message_size + 1024);
  size_t messages = 0;
  reader.feed(*wire, [&](rtmp::Message&& m) {
    ++messages;
    if (m.type != static_cast<uint8_t>(frame.kind()) || m.timestamp != frame.timestamp() ||
        !std::equal(m.payload.begin(), m.payload.end(), frame.payload().begin(),
                    frame.payload().end()))
      __builtin_trap();
  });
  if (messages != 1) __builtin_trap();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 5) return 0;
  rtmp::Message m;
  m.type = data[0];
  m.timestamp =
      uint32_t{data[1]} << 24 | uint32_t{data[2]} << 16 | uint32_t{data[3]} << 8 | data[4];
  m.payload.assign(data + 5, data + size);
  try {
    rtmp::for_each_media(
        m, [](media::FrameKind kind, uint32_t timestamp, std::vector<uint8_t>&& payload) {
          check_frame(media::Frame(kind, timestamp, std::move(payload)));
        });
  } catch (const ProtocolError&) {
  }
  return 0;
}
