#pragma once
// HMAC-SHA256 over one or more byte ranges (OpenSSL 3 EVP_MAC), used by the
// RTMP digest handshake and by request signing.
#include <array>
#include <cstdint>
#include <initializer_list>
#include <span>
#include <string_view>

namespace sluice {

using Sha256Digest = std::array<uint8_t, 32>;

Sha256Digest hmac_sha256(std::span<const uint8_t> key,
                         std::initializer_list<std::span<const uint8_t>> parts);

inline std::span<const uint8_t> as_bytes(std::string_view s) {
  return {reinterpret_cast<const uint8_t*>(s.data()), s.size()};
}

}  // namespace sluice
