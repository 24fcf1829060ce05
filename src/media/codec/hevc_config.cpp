#include "media/codec/hevc_config.hpp"

#include <string>

#include "base/byte_io.hpp"
#include "media/codec/bit_reader.hpp"

namespace sluice::media::codec {
namespace {

constexpr uint8_t kSpsType = 33;
// Luma samples per side; level 6.2 allows at most sqrt(8 x 35651584).
constexpr uint32_t kMaxDimension = 1u << 16;

// profile_tier_level(1, max_sub_layers_minus1) (7.3.3): only read past.
void skip_profile_tier_level(BitReader& r, uint32_t max_sub_layers_minus1) {
  r.skip(88);  // general profile space .. general_inbld/reserved flag
  r.skip(8);   // general_level_idc
  bool profile_present[8] = {}, level_present[8] = {};
  for (uint32_t i = 0; i < max_sub_layers_minus1; ++i) {
    profile_present[i] = r.flag();
    level_present[i] = r.flag();
  }
  if (max_sub_layers_minus1 > 0) r.skip(2 * (8 - max_sub_layers_minus1));
  for (uint32_t i = 0; i < max_sub_layers_minus1; ++i) {
    if (profile_present[i]) r.skip(88);
    if (level_present[i]) r.skip(8);
  }
}

SpsSummary read_sps(BitReader& r) {
  SpsSummary out;
  r.skip(4);  // sps_video_parameter_set_id
  const uint32_t max_sub_layers_minus1 = r.bits(3);
  if (max_sub_layers_minus1 > 6) throw CodecError("sps_max_sub_layers_minus1 above 6");
  r.skip(1);  // sps_temporal_id_nesting_flag
  skip_profile_tier_level(r, max_sub_layers_minus1);
  r.ue();  // sps_seq_parameter_set_id
  out.chroma_format_idc = r.ue();
  if (out.chroma_format_idc > 3) throw CodecError("chroma_format_idc above 3");
  bool separate_colour_planes = false;
  if (out.chroma_format_idc == 3) separate_colour_planes = r.flag();
  const uint32_t width = r.ue(), height = r.ue();
  if (width == 0 || height == 0 || width > kMaxDimension || height > kMaxDimension)
    throw CodecError("picture size out of range");
  uint64_t left = 0, right = 0, top = 0, bottom = 0;
  if (r.flag()) {  // conformance_window_flag
    left = r.ue();
    right = r.ue();
    top = r.ue();
    bottom = r.ue();
  }
  const uint32_t luma = r.ue(), chroma = r.ue();
  if (luma > 8 || chroma > 8) throw CodecError("bit depth above 16");
  out.bit_depth_luma = 8 + luma;
  out.bit_depth_chroma = 8 + chroma;
  // Conformance window offsets are in chroma samples (7.4.3.2.1).
  const uint32_t chroma_array_type = separate_colour_planes ? 0 : out.chroma_format_idc;
  const uint64_t sub_width = chroma_array_type == 1 || chroma_array_type == 2 ? 2 : 1;
  const uint64_t sub_height = chroma_array_type == 1 ? 2 : 1;
  const uint64_t cut_x = sub_width * (left + right), cut_y = sub_height * (top + bottom);
  if (cut_x >= width || cut_y >= height)
    throw CodecError("conformance window larger than the picture");
  out.size = {static_cast<uint32_t>(width - cut_x), static_cast<uint32_t>(height - cut_y)};
  return out;
}

}  // namespace

const std::vector<uint8_t>* HevcConfig::first_unit(uint8_t nal_unit_type) const {
  for (const auto& a : arrays) {
    if (a.nal_unit_type == nal_unit_type && !a.units.empty()) return &a.units.front();
  }
  return nullptr;
}

Parsed<SpsSummary> parse_hevc_sps(std::span<const uint8_t> nal_unit) {
  if (nal_unit.size() < 2 || ((nal_unit[0] >> 1) & 0x3F) != kSpsType)
    return Parsed<SpsSummary>::fail("not an H.265 SPS NAL unit");
  try {
    const auto rbsp = rbsp_of(nal_unit.subspan(2));
    BitReader r(rbsp);
    return Parsed<SpsSummary>::ok(read_sps(r));
  } catch (const CodecError& e) {
    return Parsed<SpsSummary>::fail(std::string("H.265 SPS: ") + e.what());
  }
}

Parsed<HevcConfig> parse_hevc_config(std::span<const uint8_t> record) {
  using Result = Parsed<HevcConfig>;
  try {
    ByteReader r(record);
    HevcConfig out;
    if (r.u8() != 1) return Result::fail("HEVC decoder configuration: version is not 1");
    const uint8_t ptl = r.u8();
    out.profile_space = ptl >> 6;
    out.high_tier = (ptl >> 5) & 1;
    out.profile = ptl & 0x1F;
    out.profile_compatibility = r.u32be();
    out.constraint_flags = uint64_t{r.u16be()} << 32 | r.u32be();
    out.level = r.u8();
    r.u16be();  // min_spatial_segmentation_idc
    r.u8();     // parallelismType
    out.chroma_format_idc = r.u8() & 0x03;
    out.bit_depth_luma = static_cast<uint8_t>(8 + (r.u8() & 0x07));
    out.bit_depth_chroma = static_cast<uint8_t>(8 + (r.u8() & 0x07));
    r.u16be();  // avgFrameRate
    out.nalu_length_size = static_cast<uint8_t>((r.u8() & 0x03) + 1);
    if (out.nalu_length_size == 3)
      return Result::fail("HEVC decoder configuration: NAL unit length size 3");
    const size_t array_count = r.u8();
    for (size_t i = 0; i < array_count; ++i) {
      HevcNalArray array;
      const uint8_t head = r.u8();
      array.complete = head & 0x80;
      array.nal_unit_type = head & 0x3F;
      const size_t units = r.u16be();
      for (size_t u = 0; u < units; ++u) {
        auto nal = r.bytes(r.u16be());
        array.units.emplace_back(nal.begin(), nal.end());
      }
      out.arrays.push_back(std::move(array));
    }
    if (!out.first_unit(kSpsType)) return Result::fail("HEVC decoder configuration: no SPS");
    if (auto sps = parse_hevc_sps(*out.first_unit(kSpsType))) out.picture = *sps;
    return Result::ok(std::move(out));
  } catch (const ProtocolError&) {
    return Result::fail("HEVC decoder configuration: truncated");
  }
}

}  // namespace sluice::media::codec
