#include "wallclock_sei.hpp"

#include <algorithm>
#include <array>
#include <chrono>

namespace sluice::load {
namespace {

constexpr std::array<uint8_t, 16> kUuid = {0x73, 0x6c, 0x75, 0x69, 0x63, 0x65, 0x2d, 0x77,
                                           0x61, 0x6c, 0x6c, 0x63, 0x6c, 0x6f, 0x63, 0x6b};
constexpr size_t kDigits = 16;
constexpr uint8_t kPayloadSize = kUuid.size() + kDigits;
constexpr char kHex[] = "0123456789abcdef";

int hex_value(uint8_t c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

}  // namespace

int64_t wall_clock_us() {
  using namespace std::chrono;
  return duration_cast<microseconds>(system_clock::now().time_since_epoch()).count();
}

std::vector<uint8_t> wallclock_sei_nal(int64_t unix_us) {
  std::vector<uint8_t> nal(3 + kPayloadSize + 1);
  nal[0] = 0x06;  // SEI
  nal[1] = 0x05;  // user_data_unregistered
  nal[2] = kPayloadSize;
  std::copy(kUuid.begin(), kUuid.end(), nal.begin() + 3);
  const auto v = static_cast<uint64_t>(unix_us);
  for (size_t i = 0; i < kDigits; ++i)
    nal[3 + kUuid.size() + i] = kHex[(v >> (4 * (kDigits - 1 - i))) & 0xf];
  nal.back() = 0x80;  // rbsp_trailing_bits
  return nal;
}

std::optional<int64_t> parse_wallclock_sei(std::span<const uint8_t> nal) {
  if (nal.size() < 3 + kPayloadSize || (nal[0] & 0x1f) != 6 || nal[1] != 0x05 ||
      nal[2] != kPayloadSize)
    return std::nullopt;
  if (!std::equal(kUuid.begin(), kUuid.end(), nal.begin() + 3)) return std::nullopt;
  uint64_t v = 0;
  for (size_t i = 0; i < kDigits; ++i) {
    const int d = hex_value(nal[3 + kUuid.size() + i]);
    if (d < 0) return std::nullopt;
    v = (v << 4) | static_cast<uint64_t>(d);
  }
  return static_cast<int64_t>(v);
}

std::vector<uint8_t> with_wallclock_sei(std::span<const uint8_t> body, int64_t unix_us) {
  std::vector<uint8_t> out(body.begin(), body.end());
  // codec id 7 (AVC), AVCPacketType 1 (NAL units)
  if (body.size() < 5 || (body[0] & 0x0f) != 7 || body[1] != 1) return out;
  size_t pos = 5;
  while (pos + 4 < body.size()) {
    const uint32_t length = (uint32_t(body[pos]) << 24) | (uint32_t(body[pos + 1]) << 16) |
                            (uint32_t(body[pos + 2]) << 8) | body[pos + 3];
    const uint8_t type = body[pos + 4] & 0x1f;
    if (type >= 1 && type <= 5) break;               // the first slice
    if (length > body.size() - pos - 4) return out;  // malformed: leave it alone
    pos += 4 + length;
  }
  if (pos >= body.size()) return out;
  const auto nal = wallclock_sei_nal(unix_us);
  const auto n = static_cast<uint32_t>(nal.size());
  std::vector<uint8_t> insert = {uint8_t(n >> 24), uint8_t(n >> 16), uint8_t(n >> 8), uint8_t(n)};
  insert.insert(insert.end(), nal.begin(), nal.end());
  out.insert(out.begin() + static_cast<std::ptrdiff_t>(pos), insert.begin(), insert.end());
  return out;
}

}  // namespace sluice::load
