#include "rtmp/chunk_reader.hpp"

#include <gtest/gtest.h>

#include <random>

#include "base/byte_io.hpp"
#include "base/errors.hpp"
#include "fixtures.hpp"
#include "rtmp/amf0.hpp"
#include "rtmp/chunk_writer.hpp"

namespace sluice::rtmp {
namespace {

std::vector<Message> read_all(ChunkReader& reader, std::span<const uint8_t> bytes) {
  std::vector<Message> out;
  reader.feed(bytes, [&](Message&& m) { out.push_back(std::move(m)); });
  return out;
}

std::vector<uint8_t> payload_of(size_t n, uint8_t seed = 1) {
  std::vector<uint8_t> p(n);
  for (size_t i = 0; i < n; ++i) p[i] = static_cast<uint8_t>(seed + i * 7);
  return p;
}

// Builds chunks by hand so every header type can be tested.
struct ChunkBuilder {
  std::vector<uint8_t> out;
  void basic(uint8_t fmt, uint32_t csid) {
    if (csid < 64) {
      out.push_back(static_cast<uint8_t>(fmt << 6 | csid));
    } else if (csid < 320) {
      out.push_back(static_cast<uint8_t>(fmt << 6));
      out.push_back(static_cast<uint8_t>(csid - 64));
    } else {
      out.push_back(static_cast<uint8_t>(fmt << 6 | 1));
      out.push_back(static_cast<uint8_t>((csid - 64) & 0xFF));
      out.push_back(static_cast<uint8_t>((csid - 64) >> 8));
    }
  }
  void fmt0(uint32_t csid, uint32_t ts, uint32_t len, uint8_t type, uint32_t msid) {
    basic(0, csid);
    ByteWriter w(out);
    w.u24be(ts >= 0xFFFFFF ? 0xFFFFFF : ts);
    w.u24be(len);
    w.u8(type);
    w.u32le(msid);
    if (ts >= 0xFFFFFF) w.u32be(ts);
  }
  void fmt1(uint32_t csid, uint32_t delta, uint32_t len, uint8_t type) {
    basic(1, csid);
    ByteWriter w(out);
    w.u24be(delta);
    w.u24be(len);
    w.u8(type);
  }
  void fmt2(uint32_t csid, uint32_t delta) {
    basic(2, csid);
    ByteWriter(out).u24be(delta);
  }
  void fmt3(uint32_t csid) { basic(3, csid); }
  void data(std::span<const uint8_t> d) { out.insert(out.end(), d.begin(), d.end()); }
};

TEST(ChunkReader, AllFourHeaderTypesComputeTimestamps) {
  ChunkBuilder b;
  auto p = payload_of(10);
  b.fmt0(4, 1000, 10, kAudio, 1);
  b.data(p);
  b.fmt1(4, 20, 10, kAudio);  // +20
  b.data(p);
  b.fmt2(4, 30);  // +30, same length and type
  b.data(p);
  b.fmt3(4);  // new message repeating the last delta: +30
  b.data(p);
  ChunkReader reader(1 << 20);
  auto msgs = read_all(reader, b.out);
  ASSERT_EQ(msgs.size(), 4u);
  EXPECT_EQ(msgs[0].timestamp, 1000u);
  EXPECT_EQ(msgs[1].timestamp, 1020u);
  EXPECT_EQ(msgs[2].timestamp, 1050u);
  EXPECT_EQ(msgs[3].timestamp, 1080u);
  for (const auto& m : msgs) {
    EXPECT_EQ(m.type, kAudio);
    EXPECT_EQ(m.stream_id, 1u);
    EXPECT_EQ(m.csid, 4u);
    EXPECT_EQ(m.payload, p);
  }
}

TEST(ChunkReader, MessageSpanningChunksAtDefaultSize) {
  auto p = payload_of(300);
  std::vector<uint8_t> wire;
  write_chunks(wire, 6, kVideo, 40, 1, p, 128);
  ChunkReader reader(1 << 20);
  auto msgs = read_all(reader, wire);
  ASSERT_EQ(msgs.size(), 1u);
  EXPECT_EQ(msgs[0].payload, p);
  EXPECT_EQ(msgs[0].timestamp, 40u);
}

TEST(ChunkReader, ExtendedTimestampsOnFirstAndContinuationChunks) {
  auto p = payload_of(300);
  std::vector<uint8_t> wire;
  write_chunks(wire, 6, kVideo, 0x12345678, 1, p, 128);
  write_chunks(wire, 6, kVideo, 0xFFFFFF, 1, p, 128);  // exactly the marker value
  ChunkReader reader(1 << 20);
  auto msgs = read_all(reader, wire);
  ASSERT_EQ(msgs.size(), 2u);
  EXPECT_EQ(msgs[0].timestamp, 0x12345678u);
  EXPECT_EQ(msgs[0].payload, p);
  EXPECT_EQ(msgs[1].timestamp, 0xFFFFFFu);
  EXPECT_EQ(msgs[1].payload, p);
}

TEST(ChunkReader, ExtendedDeltaOnFmt1) {
  ChunkBuilder b;
  auto p = payload_of(4);
  b.fmt0(5, 10, 4, kVideo, 1);
  b.data(p);
  b.basic(1, 5);
  ByteWriter w(b.out);
  w.u24be(0xFFFFFF);
  w.u24be(4);
  w.u8(kVideo);
  w.u32be(0x01000000);  // the real delta
  b.data(p);
  ChunkReader reader(1 << 20);
  auto msgs = read_all(reader, b.out);
  ASSERT_EQ(msgs.size(), 2u);
  EXPECT_EQ(msgs[1].timestamp, 10u + 0x01000000u);
}

TEST(ChunkReader, SetChunkSizeAppliesToFollowingChunks) {
  std::vector<uint8_t> wire, size_payload;
  ByteWriter(size_payload).u32be(4096);
  write_chunks(wire, 2, kSetChunkSize, 0, 0, size_payload, 128);
  auto p = payload_of(5000);
  write_chunks(wire, 6, kVideo, 0, 1, p, 4096);
  ChunkReader reader(1 << 20);
  auto msgs = read_all(reader, wire);
  ASSERT_EQ(msgs.size(), 2u);
  EXPECT_EQ(reader.chunk_size(), 4096u);
  EXPECT_EQ(msgs[1].payload, p);
}

TEST(ChunkReader, InterleavedChunkStreams) {
  // Audio chunks between the chunks of one video message, as encoders do.
  auto video = payload_of(250, 3);
  auto audio = payload_of(20, 9);
  ChunkBuilder b;
  b.fmt0(6, 100, 250, kVideo, 1);
  b.data(std::span(video).first(128));
  b.fmt0(4, 101, 20, kAudio, 1);
  b.data(audio);
  b.fmt3(6);
  b.data(std::span(video).subspan(128));
  ChunkReader reader(1 << 20);
  auto msgs = read_all(reader, b.out);
  ASSERT_EQ(msgs.size(), 2u);
  EXPECT_EQ(msgs[0].type, kAudio);
  EXPECT_EQ(msgs[0].payload, audio);
  EXPECT_EQ(msgs[1].type, kVideo);
  EXPECT_EQ(msgs[1].payload, video);
  EXPECT_EQ(msgs[1].timestamp, 100u);
}

TEST(ChunkReader, TwoAndThreeByteBasicHeaders) {
  auto p = payload_of(200);
  std::vector<uint8_t> wire;
  write_chunks(wire, 100, kVideo, 1, 1, p, 128);    // 2-byte form
  write_chunks(wire, 40000, kAudio, 2, 1, p, 128);  // 3-byte form
  ChunkReader reader(1 << 20);
  auto msgs = read_all(reader, wire);
  ASSERT_EQ(msgs.size(), 2u);
  EXPECT_EQ(msgs[0].csid, 100u);
  EXPECT_EQ(msgs[1].csid, 40000u);
  EXPECT_EQ(msgs[1].payload, p);
}

TEST(ChunkReader, AbortDiscardsPartialMessage) {
  auto p = payload_of(200);
  ChunkBuilder b;
  b.fmt0(6, 0, 200, kVideo, 1);
  b.data(std::span(p).first(128));
  std::vector<uint8_t> abort_payload;
  ByteWriter(abort_payload).u32be(6);
  write_chunks(b.out, 2, kAbort, 0, 0, abort_payload, 128);
  b.fmt0(6, 40, 5, kVideo, 1);
  b.data(std::span(p).first(5));
  ChunkReader reader(1 << 20);
  auto msgs = read_all(reader, b.out);
  ASSERT_EQ(msgs.size(), 2u);  // the abort itself, then the short message
  EXPECT_EQ(msgs[1].payload.size(), 5u);
  EXPECT_EQ(msgs[1].timestamp, 40u);
}

TEST(ChunkReader, ZeroLengthMessageIsDelivered) {
  ChunkBuilder b;
  b.fmt0(4, 7, 0, kAudio, 1);
  ChunkReader reader(1 << 20);
  auto msgs = read_all(reader, b.out);
  ASSERT_EQ(msgs.size(), 1u);
  EXPECT_TRUE(msgs[0].payload.empty());
}

TEST(ChunkReader, MessageLongerThanMaximumIsRejectedOnHeader) {
  ChunkBuilder b;
  b.fmt0(6, 0, 0xFFFFFF, kVideo, 1);
  ChunkReader reader(8 * 1024 * 1024);
  EXPECT_THROW(read_all(reader, b.out), ProtocolError);
}

TEST(ChunkReader, ChunkSizeWithTopBitSetIsRejected) {
  std::vector<uint8_t> wire, size_payload;
  ByteWriter(size_payload).u32be(0x80000000u);
  write_chunks(wire, 2, kSetChunkSize, 0, 0, size_payload, 128);
  ChunkReader reader(1 << 20);
  EXPECT_THROW(read_all(reader, wire), ProtocolError);
}

TEST(ChunkReader, ZeroChunkSizeIsRejected) {
  std::vector<uint8_t> wire, size_payload;
  ByteWriter(size_payload).u32be(0);
  write_chunks(wire, 2, kSetChunkSize, 0, 0, size_payload, 128);
  ChunkReader reader(1 << 20);
  EXPECT_THROW(read_all(reader, wire), ProtocolError);
}

TEST(ChunkReader, NewChunkStreamMustStartWithFullHeader) {
  ChunkBuilder b;
  b.fmt3(9);
  ChunkReader reader(1 << 20);
  EXPECT_THROW(read_all(reader, b.out), ProtocolError);
}

TEST(ChunkReader, TooManyChunkStreamsIsRejected) {
  ChunkBuilder b;
  for (uint32_t csid = 3; csid < 3 + 10; ++csid) b.fmt0(csid, 0, 0, kAudio, 1);
  ChunkReader reader(1 << 20, 8);
  EXPECT_THROW(read_all(reader, b.out), ProtocolError);
}

// Opens `streams` chunk streams, each with `each` bytes of an 8 MiB video
// message that never completes (one chunk each, chunk size raised first).
std::vector<uint8_t> partial_messages(uint32_t streams, size_t each) {
  std::vector<uint8_t> wire, size_payload;
  ByteWriter(size_payload).u32be(1 << 20);
  write_chunks(wire, 2, kSetChunkSize, 0, 0, size_payload, 128);
  ChunkBuilder b;
  b.out = std::move(wire);
  auto p = payload_of(each);
  for (uint32_t csid = 4; csid < 4 + streams; ++csid) {
    b.fmt0(csid, 0, 8 * 1024 * 1024, kVideo, 1);
    b.data(p);
  }
  return std::move(b.out);
}

TEST(ChunkReaderMemory, PartialMessagesOverAllStreamsAreCapped) {
  ChunkReader reader(8 * 1024 * 1024);
  reader.set_partial_bytes_limit(256 * 1024);
  auto wire = partial_messages(60, 100 * 1024);
  // Fed in small pieces, as a socket would: the cap holds at every step.
  size_t fed = 0;
  try {
    for (; fed < wire.size(); fed += 4096) {
      read_all(reader, std::span(wire).subspan(fed, std::min<size_t>(4096, wire.size() - fed)));
      ASSERT_LE(reader.partial_bytes(), 256u * 1024);
    }
    FAIL() << "60 partial messages of 100 KiB were accepted";
  } catch (const ProtocolError& e) {
    EXPECT_NE(std::string(e.what()).find("262144"), std::string::npos) << e.what();
  }
  EXPECT_LE(reader.partial_bytes(), 256u * 1024);
  EXPECT_LT(fed, 400u * 1024);  // refused at the third stream, not at the end
}

TEST(ChunkReaderMemory, WithoutALimitTheSameInputIsHeld) {
  ChunkReader reader(8 * 1024 * 1024);
  read_all(reader, partial_messages(10, 100 * 1024));
  EXPECT_GE(reader.partial_bytes(), 10u * 100 * 1024);
}

TEST(ChunkReaderMemory, CompletedAndAbortedMessagesGiveTheirBytesBack) {
  ChunkReader reader(8 * 1024 * 1024);
  reader.set_partial_bytes_limit(256 * 1024);
  auto p = payload_of(200 * 1024);
  for (int round = 0; round < 20; ++round) {  // 4 MB in all, 200 KiB at a time
    std::vector<uint8_t> wire;
    write_chunks(wire, 4 + round % 3, kVideo, round * 40, 1, p, 128);
    auto msgs = read_all(reader, wire);
    ASSERT_EQ(msgs.size(), 1u);
    EXPECT_EQ(msgs[0].payload, p);
    EXPECT_EQ(reader.partial_bytes(), 0u);
  }
  ChunkBuilder b;
  b.fmt0(6, 0, 200 * 1024, kVideo, 1);
  b.data(std::span(p).first(128));
  read_all(reader, b.out);
  EXPECT_GT(reader.partial_bytes(), 0u);
  std::vector<uint8_t> abort_wire, abort_payload;
  ByteWriter(abort_payload).u32be(6);
  write_chunks(abort_wire, 2, kAbort, 0, 0, abort_payload, 128);
  read_all(reader, abort_wire);
  EXPECT_EQ(reader.partial_bytes(), 0u);
}

TEST(ChunkReaderMemory, AMessageNeverHoldsMoreThanItsLength) {
  // Growth is geometric but stops at the declared length: a 5 MB frame in
  // 4 KiB chunks holds 5 MB, not the next power of two.
  ChunkReader reader(8 * 1024 * 1024);
  const size_t length = 5'000'000;
  reader.set_partial_bytes_limit(length);
  std::vector<uint8_t> size_payload, wire;
  ByteWriter(size_payload).u32be(4096);
  write_chunks(wire, 2, kSetChunkSize, 0, 0, size_payload, 128);
  auto p = payload_of(length);
  write_chunks(wire, 6, kVideo, 0, 1, p, 4096);
  auto msgs = read_all(reader, wire);
  ASSERT_EQ(msgs.size(), 2u);
  EXPECT_EQ(msgs[1].payload.size(), length);
}

TEST(ChunkReaderMemory, RaisedLimitLetsAPublisherInterleaveLargeFrames) {
  ChunkReader reader(8 * 1024 * 1024);
  reader.set_partial_bytes_limit(256 * 1024);
  reader.set_partial_bytes_limit(32 * 1024 * 1024);  // what the session does on publish
  EXPECT_NO_THROW(read_all(reader, partial_messages(3, 1024 * 1024)));
  EXPECT_THROW(read_all(reader, partial_messages(40, 1024 * 1024)), ProtocolError);
}

TEST(ChunkReader, TruncatedInputWaitsForMore) {
  auto p = payload_of(300);
  std::vector<uint8_t> wire;
  write_chunks(wire, 6, kVideo, 5, 1, p, 128);
  ChunkReader reader(1 << 20);
  // Every prefix leaves the message pending; the rest completes it.
  for (size_t cut = 0; cut < wire.size(); ++cut) {
    ChunkReader r(1 << 20);
    EXPECT_TRUE(read_all(r, std::span(wire).first(cut)).empty()) << "cut at " << cut;
    auto msgs = read_all(r, std::span(wire).subspan(cut));
    ASSERT_EQ(msgs.size(), 1u) << "cut at " << cut;
    EXPECT_EQ(msgs[0].payload, p);
  }
}

// The recorded ffmpeg publish: feeding it in random splits must give the
// same commands and media as feeding it whole.
std::vector<Message> read_recording(const std::string& name, std::mt19937* split) {
  auto bytes = test::read_fixture(name);
  EXPECT_GT(bytes.size(), test::kHandshakeBytes) << name;
  std::span<const uint8_t> chunks(bytes.data() + test::kHandshakeBytes,
                                  bytes.size() - test::kHandshakeBytes);
  ChunkReader reader(8 * 1024 * 1024);
  std::vector<Message> out;
  while (!chunks.empty()) {
    size_t n = split ? std::min<size_t>(chunks.size(), 1 + (*split)() % 700) : chunks.size();
    reader.feed(chunks.first(n), [&](Message&& m) { out.push_back(std::move(m)); });
    chunks = chunks.subspan(n);
  }
  return out;
}

TEST(ChunkReaderFixtures, FfmpegPublishYieldsCommandsAndMedia) {
  auto msgs = read_recording("ffmpeg-publish.c2s", nullptr);
  std::vector<std::string> commands;
  size_t video = 0, audio = 0, keyframes = 0;
  bool metadata = false;
  uint32_t last_video_ts = 0;
  for (const auto& m : msgs) {
    if (m.type == kCommandAmf0) commands.push_back(amf0::decode_all(m.payload).at(0).as_string());
    if (m.type == kDataAmf0)
      metadata = amf0::decode_all(m.payload).at(1).as_string() == "onMetaData";
    if (m.type == kVideo) {
      ++video;
      if ((m.payload.at(0) >> 4) == 1) ++keyframes;
      EXPECT_GE(m.timestamp, last_video_ts);
      last_video_ts = m.timestamp;
    }
    if (m.type == kAudio) ++audio;
  }
  ASSERT_GE(commands.size(), 5u);
  EXPECT_EQ(commands[0], "connect");
  EXPECT_NE(std::find(commands.begin(), commands.end(), "publish"), commands.end());
  EXPECT_TRUE(metadata);
  // ~3 s of 25 fps video and AAC.
  EXPECT_GT(video, 50u);
  EXPECT_GT(audio, 50u);
  EXPECT_GE(keyframes, 1u);
  EXPECT_GT(last_video_ts, 2000u);
}

TEST(ChunkReaderFixtures, RandomSplitsGiveTheSameMessages) {
  for (const char* name : {"ffmpeg-publish.c2s", "gstreamer-rtmp2sink-publish.c2s",
                           "ffmpeg-play.c2s", "librtmp-play.c2s"}) {
    auto whole = read_recording(name, nullptr);
    std::mt19937 rng(42);
    auto split = read_recording(name, &rng);
    ASSERT_EQ(whole.size(), split.size()) << name;
    for (size_t i = 0; i < whole.size(); ++i) {
      EXPECT_EQ(whole[i].type, split[i].type);
      EXPECT_EQ(whole[i].timestamp, split[i].timestamp);
      EXPECT_EQ(whole[i].payload, split[i].payload);
    }
  }
}

TEST(ChunkReaderFuzz, MutatedRecordingsNeverCrash) {
  auto bytes = test::read_fixture("ffmpeg-publish.c2s");
  std::span<const uint8_t> chunks(bytes.data() + test::kHandshakeBytes, 20000);
  std::mt19937 rng(7);
  for (int round = 0; round < 2000; ++round) {
    std::vector<uint8_t> mutated(chunks.begin(), chunks.end());
    for (int flips = 0; flips < 8; ++flips)
      mutated[rng() % mutated.size()] = static_cast<uint8_t>(rng());
    ChunkReader reader(1 << 20);
    try {
      reader.feed(mutated, [](Message&&) {});
    } catch (const ProtocolError&) {
    }
  }
}

}  // namespace
}  // namespace sluice::rtmp
