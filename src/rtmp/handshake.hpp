#pragma once
// The server side of the RTMP handshake (RTMP spec 1.0, section 5.2), in both
// variants real clients send:
//  - plain: C1 version bytes are zero; S2 echoes C1.
//  - digest ("complex" handshake of Flash Player, also sent by ffmpeg): C1
//    carries an HMAC-SHA256 digest keyed with the Flash Player key at one of
//    two schemes; the server answers with S1 signed by the Flash Media Server
//    key and an S2 whose signature proves it read C1's digest. ffmpeg as a
//    player checks both, so a wrong answer fails its handshake.
// Pure functions, no I/O: the session reads C0/C1 and writes the response.
#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

namespace sluice::rtmp::handshake {

inline constexpr size_t kPacketSize = 1536;
inline constexpr uint8_t kRtmpVersion = 3;
inline constexpr size_t kDigestSize = 32;

enum class Variant { kPlain, kDigest };

struct Response {
  Variant variant;
  std::vector<uint8_t> s0s1s2;  // 1 + 1536 + 1536 bytes
};

// Where C1's digest is, if it carries a valid one (either scheme).
std::optional<size_t> find_client_digest(std::span<const uint8_t> c1);

// Builds S0+S1+S2 for a C1. `now_ms` fills the time fields.
Response respond(std::span<const uint8_t> c1, uint32_t now_ms);

// --- helpers shared with the client side (load tool, tests) ---

// Digest offset for scheme base 8 (digest in the first half) or 772 (second half).
size_t digest_offset(std::span<const uint8_t> packet, size_t scheme_base);
// HMAC-SHA256 of the packet with the 32 digest bytes at `offset` left out.
std::array<uint8_t, kDigestSize> packet_digest(std::span<const uint8_t> packet, size_t offset,
                                               std::span<const uint8_t> key);
// Where a server S1 carries a digest made with the FMS key, if any.
std::optional<size_t> find_server_digest(std::span<const uint8_t> s1);
// True when S2 is signed for the client digest at c1[digest_at] (what ffmpeg checks).
bool server_s2_valid(std::span<const uint8_t> c1, size_t digest_at, std::span<const uint8_t> s2);
// A plain C0+C1 for a client.
std::vector<uint8_t> plain_c0c1(uint32_t now_ms);

}  // namespace sluice::rtmp::handshake
