#pragma once
// MD5 (OpenSSL 3 EVP) and a constant-time comparison, for Volcengine-style
// signed push and play URLs, whose documented signature is an MD5 digest.
// Not for anything new: MD5 is what that URL scheme specifies.
#include <array>
#include <cstdint>
#include <span>
#include <string_view>

namespace sluice {

using Md5Digest = std::array<uint8_t, 16>;

Md5Digest md5(std::string_view data);

// Equal sizes and bytes, taking the same time wherever the first difference
// is, so a signature cannot be guessed byte by byte from response times.
bool equal_constant_time(std::span<const uint8_t> a, std::span<const uint8_t> b);

}  // namespace sluice
