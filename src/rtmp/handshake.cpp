#include "rtmp/handshake.hpp"

#include <openssl/rand.h>

#include <algorithm>
#include <cstring>

#include "base/byte_io.hpp"
#include "base/hmac.hpp"

namespace sluice::rtmp::handshake {
namespace {

// The 32 bytes every Flash-era peer appends to its key (public, from the
// Flash Player / FMS binaries as documented by librtmp and others).
constexpr uint8_t kKeyTail[32] = {0xF0, 0xEE, 0xC2, 0x4A, 0x80, 0x68, 0xBE, 0xE8, 0x2E, 0x00, 0xD0,
                                  0xD1, 0x02, 0x9E, 0x7E, 0x57, 0x6E, 0xEC, 0x5D, 0x2D, 0x29, 0x80,
                                  0x6F, 0xAB, 0x93, 0xB8, 0xE6, 0x36, 0xCF, 0xEB, 0x31, 0xAE};
constexpr char kPlayerText[] = "Genuine Adobe Flash Player 001";        // 30 bytes
constexpr char kServerText[] = "Genuine Adobe Flash Media Server 001";  // 36 bytes
constexpr size_t kSchemeBases[2] = {8, 772};
// Version bytes of S1; ffmpeg validates the server digest when byte 0 >= 3.
constexpr uint8_t kServerVersion[4] = {0x0D, 0x0E, 0x0A, 0x0D};

std::vector<uint8_t> key(std::string_view text, bool full) {
  std::vector<uint8_t> k(text.begin(), text.end());
  if (full) k.insert(k.end(), std::begin(kKeyTail), std::end(kKeyTail));
  return k;
}

std::array<uint8_t, kDigestSize> hmac(std::span<const uint8_t> key, std::span<const uint8_t> a,
                                      std::span<const uint8_t> b = {}) {
  return hmac_sha256(key, {a, b});
}

void random_fill(std::span<uint8_t> out) {
  if (RAND_bytes(out.data(), static_cast<int>(out.size())) != 1) {
    std::fill(out.begin(), out.end(), uint8_t{0x5A});  // the handshake needs no secrecy
  }
}

std::optional<size_t> find_digest(std::span<const uint8_t> packet, std::span<const uint8_t> key) {
  if (packet.size() != kPacketSize) return std::nullopt;
  for (size_t base : kSchemeBases) {
    size_t at = digest_offset(packet, base);
    auto expected = packet_digest(packet, at, key);
    if (std::equal(expected.begin(), expected.end(), packet.begin() + at)) return at;
  }
  return std::nullopt;
}

void write_time_and_version(std::span<uint8_t> packet, uint32_t now_ms,
                            const uint8_t (&version)[4]) {
  std::vector<uint8_t> head;
  ByteWriter(head).u32be(now_ms);
  std::copy(head.begin(), head.end(), packet.begin());
  std::copy(std::begin(version), std::end(version), packet.begin() + 4);
}

}  // namespace

size_t digest_offset(std::span<const uint8_t> packet, size_t scheme_base) {
  // Four bytes at the scheme base pick the offset inside a 728-byte window.
  size_t sum = packet[scheme_base] + packet[scheme_base + 1] + packet[scheme_base + 2] +
               packet[scheme_base + 3];
  return sum % 728 + scheme_base + 4;
}

std::array<uint8_t, kDigestSize> packet_digest(std::span<const uint8_t> packet, size_t offset,
                                               std::span<const uint8_t> key) {
  return hmac(key, packet.first(offset), packet.subspan(offset + kDigestSize));
}

std::optional<size_t> find_client_digest(std::span<const uint8_t> c1) {
  // A zero version means a plain client; skip the HMAC work.
  if (c1.size() != kPacketSize || (c1[4] | c1[5] | c1[6] | c1[7]) == 0) return std::nullopt;
  return find_digest(c1, key(kPlayerText, false));
}

std::optional<size_t> find_server_digest(std::span<const uint8_t> s1) {
  return find_digest(s1, key(kServerText, false));
}

bool server_s2_valid(std::span<const uint8_t> c1, size_t digest_at, std::span<const uint8_t> s2) {
  if (s2.size() != kPacketSize) return false;
  auto s2_key = hmac(key(kServerText, true), c1.subspan(digest_at, kDigestSize));
  auto signature = hmac(s2_key, s2.first(kPacketSize - kDigestSize));
  return std::equal(signature.begin(), signature.end(), s2.end() - kDigestSize);
}

Response respond(std::span<const uint8_t> c1, uint32_t now_ms) {
  Response r;
  r.s0s1s2.resize(1 + 2 * kPacketSize);
  r.s0s1s2[0] = kRtmpVersion;
  std::span<uint8_t> s1(r.s0s1s2.data() + 1, kPacketSize);
  std::span<uint8_t> s2(r.s0s1s2.data() + 1 + kPacketSize, kPacketSize);
  random_fill(s1);
  random_fill(s2);

  auto client_digest_at = find_client_digest(c1);
  if (!client_digest_at) {
    r.variant = Variant::kPlain;
    write_time_and_version(s1, now_ms, {0, 0, 0, 0});
    std::copy(c1.begin(), c1.end(), s2.begin());  // S2 echoes C1
    return r;
  }

  r.variant = Variant::kDigest;
  write_time_and_version(s1, now_ms, kServerVersion);
  // Put our digest at the scheme the client used, as Flash Media Server does.
  size_t scheme_base = *client_digest_at < 772 ? 8 : 772;
  size_t at = digest_offset(s1, scheme_base);
  auto s1_digest = packet_digest(s1, at, key(kServerText, false));
  std::copy(s1_digest.begin(), s1_digest.end(), s1.begin() + at);

  auto s2_key = hmac(key(kServerText, true), c1.subspan(*client_digest_at, kDigestSize));
  auto signature = hmac(s2_key, s2.first(kPacketSize - kDigestSize));
  std::copy(signature.begin(), signature.end(), s2.end() - kDigestSize);
  return r;
}

std::vector<uint8_t> plain_c0c1(uint32_t now_ms) {
  std::vector<uint8_t> out(1 + kPacketSize);
  out[0] = kRtmpVersion;
  std::span<uint8_t> c1(out.data() + 1, kPacketSize);
  random_fill(c1);
  write_time_and_version(c1, now_ms, {0, 0, 0, 0});
  return out;
}

}  // namespace sluice::rtmp::handshake
