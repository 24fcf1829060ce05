// The cached RTMP encoding of a frame: built once per frame and chunk size,
// shared by every viewer that uses that size, never another size's bytes.
#include "rtmp/media_wire.hpp"

#include <gtest/gtest.h>

#include "rtmp/chunk_writer.hpp"
#include "rtmp/protocol_messages.hpp"

namespace sluice::rtmp {
namespace {

media::Bytes expected_chunks(const media::Frame& f, uint32_t chunk_size) {
  media::Bytes out;
  write_chunks(out, kVideoCsid, static_cast<uint8_t>(f.kind()), f.wire_timestamp(), kMediaStreamId,
               f.payload(), chunk_size);
  return out;
}

media::Frame big_video_frame() {
  media::Bytes payload(10000);
  payload[0] = 0x27;
  payload[1] = 0x01;
  for (size_t i = 2; i < payload.size(); ++i) payload[i] = static_cast<uint8_t>(i * 7);
  return media::Frame(media::FrameKind::kVideo, 1234, std::move(payload));
}

TEST(RtmpBytes, EachChunkSizeGetsItsOwnBytes) {
  const auto frame = big_video_frame();
  const auto small = rtmp_bytes(frame, 128);
  const auto large = rtmp_bytes(frame, 4096);
  EXPECT_EQ(*small, expected_chunks(frame, 128));
  EXPECT_EQ(*large, expected_chunks(frame, 4096));
  EXPECT_LT(large->size(), small->size()) << "fewer chunk headers at 4096";
}

TEST(RtmpBytes, BuiltOncePerChunkSizeAndShared) {
  const auto frame = big_video_frame();
  const auto first = rtmp_bytes(frame, 60000);
  EXPECT_EQ(rtmp_bytes(frame, 60000).get(), first.get());
  const auto other = rtmp_bytes(frame, 128);
  EXPECT_NE(other.get(), first.get());
  // Switching back does not rebuild either size.
  EXPECT_EQ(rtmp_bytes(frame, 60000).get(), first.get());
  EXPECT_EQ(rtmp_bytes(frame, 128).get(), other.get());
  // Many sizes stay correct even past what is cached.
  for (uint32_t size = 200; size < 3000; size += 200)
    EXPECT_EQ(*rtmp_bytes(frame, size), expected_chunks(frame, size)) << size;
}

}  // namespace
}  // namespace sluice::rtmp
