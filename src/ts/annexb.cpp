#include "ts/annexb.hpp"

#include <array>

namespace sluice::ts {
namespace {

namespace codec = media::codec;

constexpr std::array<uint8_t, 4> kStartCode{0, 0, 0, 1};
// primary_pic_type 7 (any slice type), then the RBSP stop bit.
constexpr std::array<uint8_t, 2> kAvcDelimiter{0x09, 0xF0};
// NAL type 35, layer 0, temporal id 1; pic_type 2 (any), then the stop bit.
constexpr std::array<uint8_t, 3> kHevcDelimiter{0x46, 0x01, 0x50};

bool is_hevc(const codec::VideoConfig& c) {
  return c.codec == codec::VideoCodec::kHevc;
}

uint8_t nal_type(const codec::VideoConfig& c, std::span<const uint8_t> nal) {
  return is_hevc(c) ? (nal[0] >> 1) & 0x3F : nal[0] & 0x1F;
}

bool is_delimiter(const codec::VideoConfig& c, uint8_t type) {
  return type == (is_hevc(c) ? 35 : 9);
}

bool is_sps(const codec::VideoConfig& c, uint8_t type) {
  return type == (is_hevc(c) ? 33 : 7);
}

void put_unit(std::vector<uint8_t>& out, std::span<const uint8_t> nal) {
  out.insert(out.end(), kStartCode.begin(), kStartCode.end());
  out.insert(out.end(), nal.begin(), nal.end());
}

void put_parameter_sets(const codec::VideoConfig& c, std::vector<uint8_t>& out) {
  if (const auto* avc = std::get_if<codec::AvcConfig>(&c.record)) {
    for (const auto& sps : avc->sps) put_unit(out, sps);
    for (const auto& pps : avc->pps) put_unit(out, pps);
    return;
  }
  const auto& hevc = std::get<codec::HevcConfig>(c.record);
  for (uint8_t type : {32, 33, 34}) {  // VPS, SPS, PPS, in that order
    for (const auto& array : hevc.arrays) {
      if (array.nal_unit_type != type) continue;
      for (const auto& unit : array.units) put_unit(out, unit);
    }
  }
}

}  // namespace

std::optional<std::string> append_annexb(const codec::VideoConfig& config,
                                         std::span<const uint8_t> nal_units, bool keyframe,
                                         std::vector<uint8_t>& out) {
  const size_t length_size = config.nalu_length_size();
  if (length_size < 1 || length_size > 4) return "bad NAL unit length size";
  std::vector<std::span<const uint8_t>> units;
  bool has_sps = false;
  for (size_t pos = 0; pos < nal_units.size();) {
    if (nal_units.size() - pos < length_size) return "a NAL unit length runs past the frame";
    size_t length = 0;
    for (size_t i = 0; i < length_size; ++i) length = length << 8 | nal_units[pos + i];
    pos += length_size;
    if (length == 0) continue;
    if (length > nal_units.size() - pos) return "a NAL unit runs past the frame";
    auto unit = nal_units.subspan(pos, length);
    pos += length;
    const uint8_t type = nal_type(config, unit);
    if (is_delimiter(config, type)) continue;  // one of ours goes first
    has_sps = has_sps || is_sps(config, type);
    units.push_back(unit);
  }
  if (units.empty()) return "no NAL units";
  if (is_hevc(config))
    put_unit(out, kHevcDelimiter);
  else
    put_unit(out, kAvcDelimiter);
  if (keyframe && !has_sps) put_parameter_sets(config, out);
  for (auto unit : units) put_unit(out, unit);
  return std::nullopt;
}

}  // namespace sluice::ts
