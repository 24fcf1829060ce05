#pragma once
// SHA-256 and lower-case hex, for request signing and body hashes.
#include <string>
#include <string_view>

#include "base/hmac.hpp"

namespace sluice {

Sha256Digest sha256(std::string_view data);
std::string to_hex(std::span<const uint8_t> bytes);
inline std::string sha256_hex(std::string_view data) {
  return to_hex(sha256(data));
}

}  // namespace sluice
