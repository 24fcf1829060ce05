#include "media/metadata.hpp"

#include <algorithm>
#include <array>
#include <string_view>

namespace sluice::media {
namespace {

// AMF0 (Adobe AMF0 spec, 2.2-2.11): string marker 0x02 + u16 length + text;
// ECMA array marker 0x08 + u32 count, then (u16 key length, key, value)...
// and the object end 00 00 09; an empty object is 0x03 00 00 09.
constexpr std::array<uint8_t, 13> kOnMetaData = {0x02, 0x00, 0x0A, 'o', 'n', 'M', 'e',
                                                 't',  'a',  'D',  'a', 't', 'a'};
constexpr uint8_t kEcmaArray = 0x08;
constexpr std::array<uint8_t, 3> kObjectEnd = {0x00, 0x00, 0x09};
constexpr std::array<uint8_t, 4> kEmptyObject = {0x03, 0x00, 0x00, 0x09};

bool contains_key(std::span<const uint8_t> bytes, std::string_view key) {
  // The key as AMF0 writes a property name: u16 length, then the text.
  std::array<uint8_t, 2> length = {static_cast<uint8_t>(key.size() >> 8),
                                   static_cast<uint8_t>(key.size())};
  Bytes needle(length.begin(), length.end());
  needle.insert(needle.end(), key.begin(), key.end());
  return !std::ranges::search(bytes, needle).empty();
}

}  // namespace

bool is_metadata(std::span<const uint8_t> payload) {
  return payload.size() >= kOnMetaData.size() &&
         std::equal(kOnMetaData.begin(), kOnMetaData.end(), payload.begin());
}

std::optional<Bytes> mark_absent_track(std::span<const uint8_t> payload, bool has_audio,
                                       bool has_video) {
  if (has_audio == has_video) return std::nullopt;
  const std::string_view key = has_audio ? "videocodecid" : "audiocodecid";
  constexpr size_t kArrayStart = kOnMetaData.size();
  constexpr size_t kCountBytes = 4;
  if (!is_metadata(payload) || payload.size() < kArrayStart + 1 + kCountBytes + kObjectEnd.size() ||
      payload[kArrayStart] != kEcmaArray ||
      !std::equal(kObjectEnd.begin(), kObjectEnd.end(), payload.end() - kObjectEnd.size()) ||
      contains_key(payload, key)) {
    return std::nullopt;
  }
  Bytes out(payload.begin(), payload.end() - kObjectEnd.size());
  // The count is a hint that readers do not trust; keep it honest anyway.
  const size_t count_at = kArrayStart + 1;
  uint32_t count = (uint32_t{out[count_at]} << 24) | (uint32_t{out[count_at + 1]} << 16) |
                   (uint32_t{out[count_at + 2]} << 8) | uint32_t{out[count_at + 3]};
  ++count;
  for (size_t i = 0; i < kCountBytes; ++i)
    out[count_at + i] = static_cast<uint8_t>(count >> (8 * (kCountBytes - 1 - i)));
  out.push_back(0x00);
  out.push_back(static_cast<uint8_t>(key.size()));
  out.insert(out.end(), key.begin(), key.end());
  out.insert(out.end(), kEmptyObject.begin(), kEmptyObject.end());
  out.insert(out.end(), kObjectEnd.begin(), kObjectEnd.end());
  return out;
}

}  // namespace sluice::media
