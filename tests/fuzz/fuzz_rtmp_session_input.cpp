// What an RTMP client sends, as a session reads it: C0+C1 answered by the
// handshake, C2 skipped, then the chunk stream reassembled with the server's
// limits; commands are AMF0-decoded and media split into frames as the
// session does. Seeds: tests/fixtures/rtmp (recorded real clients).
#include <cstddef>
#include <cstdint>
#include <span>

#include "base/errors.hpp"
#include "config/config.hpp"
#include "media/frame.hpp"
#include "rtmp/amf0.hpp"
#include "rtmp/chunk_reader.hpp"
#include "rtmp/handshake.hpp"
#include "rtmp/media_wire.hpp"

namespace {

using namespace sluice;
using namespace sluice::rtmp;

constexpr size_t kC0C1 = 1 + handshake::kPacketSize;
constexpr size_t kMaxCommandSize = 64 * 1024;  // as rtmp/session.cpp

void consume(Message& m) {
  if (m.type == kCommandAmf0 && m.payload.size() <= kMaxCommandSize) {
    amf0::decode_all(m.payload);
    return;
  }
  for_each_media(m, [](media::FrameKind kind, uint32_t timestamp, std::vector<uint8_t>&& bytes) {
    media::Frame frame(kind, timestamp, std::move(bytes));
    (void)frame.is_keyframe();
  });
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::span<const uint8_t> in(data, size);
  if (in.size() < kC0C1) {
    if (in.size() > 1) handshake::find_client_digest(in.subspan(1));
    return 0;
  }
  auto response = handshake::respond(in.subspan(1, handshake::kPacketSize), 0);
  if (response.s0s1s2.size() != 1 + 2 * handshake::kPacketSize) __builtin_trap();
  in = in.subspan(kC0C1);
  in = in.subspan(std::min(in.size(), handshake::kPacketSize));  // C2

  const config::RtmpConfig limits;
  ChunkReader reader(limits.max_message_size);
  // Feed in socket-sized pieces whose size the input picks, so a header or
  // payload split across reads is exercised as well as one whole buffer.
  const size_t piece = in.empty() ? 1 : 1 + in[0] % 64;
  try {
    for (size_t at = 0; at < in.size(); at += piece) {
      reader.feed(in.subspan(at, std::min(piece, in.size() - at)), [](Message&& m) {
        try {
          consume(m);
        } catch (const ProtocolError&) {
          // a bad command or aggregate closes the session, as here
        }
      });
    }
  } catch (const ProtocolError&) {
  }
  return 0;
}
