#include "rtmp/handshake.hpp"

#include <gtest/gtest.h>

#include "fixtures.hpp"

namespace sluice::rtmp::handshake {
namespace {

std::span<const uint8_t> c1_of(const std::vector<uint8_t>& recording) {
  return std::span(recording).subspan(1, kPacketSize);
}

TEST(Handshake, FfmpegSendsDigestAndGetsAValidDigestAnswer) {
  auto rec = test::read_fixture("ffmpeg-publish.c2s");
  ASSERT_EQ(rec.at(0), kRtmpVersion);
  auto c1 = c1_of(rec);
  auto client_digest = find_client_digest(c1);
  ASSERT_TRUE(client_digest.has_value());

  auto r = respond(c1, 1234);
  EXPECT_EQ(r.variant, Variant::kDigest);
  ASSERT_EQ(r.s0s1s2.size(), 1 + 2 * kPacketSize);
  EXPECT_EQ(r.s0s1s2[0], kRtmpVersion);
  std::span<const uint8_t> s1(r.s0s1s2.data() + 1, kPacketSize);
  std::span<const uint8_t> s2(r.s0s1s2.data() + 1 + kPacketSize, kPacketSize);
  // What ffmpeg checks as a player: S1 signed with the FMS key, S2 bound to C1's digest.
  EXPECT_GE(s1[4], 3);
  EXPECT_TRUE(find_server_digest(s1).has_value());
  EXPECT_TRUE(server_s2_valid(c1, *client_digest, s2));
}

TEST(Handshake, FfmpegPlayerAlsoUsesDigest) {
  auto rec = test::read_fixture("ffmpeg-play.c2s");
  EXPECT_TRUE(find_client_digest(c1_of(rec)).has_value());
  EXPECT_EQ(respond(c1_of(rec), 0).variant, Variant::kDigest);
}

TEST(Handshake, PlainClientsGetAnEcho) {
  for (const char* name : {"gstreamer-rtmp2sink-publish.c2s", "librtmp-play.c2s"}) {
    auto rec = test::read_fixture(name);
    auto c1 = c1_of(rec);
    auto r = respond(c1, 99);
    EXPECT_EQ(r.variant, Variant::kPlain) << name;
    std::span<const uint8_t> s2(r.s0s1s2.data() + 1 + kPacketSize, kPacketSize);
    EXPECT_TRUE(std::equal(c1.begin(), c1.end(), s2.begin())) << name;
  }
}

TEST(Handshake, TamperedDigestFallsBackToPlain) {
  auto rec = test::read_fixture("ffmpeg-publish.c2s");
  std::vector<uint8_t> c1(rec.begin() + 1, rec.begin() + 1 + kPacketSize);
  auto at = *find_client_digest(c1);
  c1[at] ^= 0xFF;
  EXPECT_FALSE(find_client_digest(c1).has_value());
  EXPECT_EQ(respond(c1, 0).variant, Variant::kPlain);
}

TEST(Handshake, SecondSchemeDigestIsFound) {
  // Build a C1 with its digest in the second half (scheme base 772), as some
  // Flash Player versions send.
  std::vector<uint8_t> c1(kPacketSize, 0x11);
  c1[4] = 10;
  const std::string player_key = "Genuine Adobe Flash Player 001";
  std::span<const uint8_t> key(reinterpret_cast<const uint8_t*>(player_key.data()),
                               player_key.size());
  size_t at = digest_offset(c1, 772);
  auto d = packet_digest(c1, at, key);
  std::copy(d.begin(), d.end(), c1.begin() + at);
  ASSERT_EQ(find_client_digest(c1), at);
  auto r = respond(c1, 0);
  std::span<const uint8_t> s1(r.s0s1s2.data() + 1, kPacketSize);
  EXPECT_EQ(find_server_digest(s1).value_or(0) >= 772, true);
}

TEST(Handshake, PlainC0C1HasZeroVersion) {
  auto c0c1 = plain_c0c1(5);
  ASSERT_EQ(c0c1.size(), 1 + kPacketSize);
  EXPECT_EQ(c0c1[0], kRtmpVersion);
  EXPECT_EQ(c0c1[5] | c0c1[6] | c0c1[7] | c0c1[8], 0);
}

}  // namespace
}  // namespace sluice::rtmp::handshake
