#include "media/codec/avc_config.hpp"

#include <string>

#include "base/byte_io.hpp"
#include "media/codec/bit_reader.hpp"

namespace sluice::media::codec {
namespace {

// Profiles whose SPS carries chroma format and bit depth (H.264 7.3.2.1.1).
bool has_chroma_fields(uint32_t profile) {
  switch (profile) {
    case 100:
    case 110:
    case 122:
    case 244:
    case 44:
    case 83:
    case 86:
    case 118:
    case 128:
    case 138:
    case 139:
    case 134:
    case 135:
      return true;
    default:
      return false;
  }
}

// scaling_list() (7.3.2.1.1.1): only read past, the values are not needed.
void skip_scaling_list(BitReader& r, int size) {
  int last = 8, next = 8;
  for (int j = 0; j < size; ++j) {
    if (next != 0) next = static_cast<int>((last + r.se() + 256) % 256);
    last = next == 0 ? last : next;
  }
}

// Sizes in macroblocks or luma samples are far below this in every level
// (H.264 Table A-1 tops out near 139264 macroblocks per frame).
constexpr uint32_t kMaxDimension = 1u << 16;

SpsSummary read_sps(BitReader& r) {
  SpsSummary out;
  const uint32_t profile = r.bits(8);
  r.skip(16);  // constraint flags, level_idc
  r.ue();      // seq_parameter_set_id
  bool separate_colour_planes = false;
  if (has_chroma_fields(profile)) {
    out.chroma_format_idc = r.ue();
    if (out.chroma_format_idc > 3) throw CodecError("chroma_format_idc above 3");
    if (out.chroma_format_idc == 3) separate_colour_planes = r.flag();
    const uint32_t luma = r.ue(), chroma = r.ue();
    if (luma > 6 || chroma > 6) throw CodecError("bit depth above 14");
    out.bit_depth_luma = 8 + luma;
    out.bit_depth_chroma = 8 + chroma;
    r.skip(1);  // qpprime_y_zero_transform_bypass_flag
    if (r.flag()) {
      const int lists = out.chroma_format_idc != 3 ? 8 : 12;
      for (int i = 0; i < lists; ++i) {
        if (r.flag()) skip_scaling_list(r, i < 6 ? 16 : 64);
      }
    }
  }
  r.ue();  // log2_max_frame_num_minus4
  const uint32_t poc_type = r.ue();
  if (poc_type == 0) {
    r.ue();  // log2_max_pic_order_cnt_lsb_minus4
  } else if (poc_type == 1) {
    r.skip(1);  // delta_pic_order_always_zero_flag
    r.se();
    r.se();
    const uint32_t cycle = r.ue();
    if (cycle > 255) throw CodecError("num_ref_frames_in_pic_order_cnt_cycle above 255");
    for (uint32_t i = 0; i < cycle; ++i) r.se();
  } else if (poc_type != 2) {
    throw CodecError("pic_order_cnt_type above 2");
  }
  r.ue();     // max_num_ref_frames
  r.skip(1);  // gaps_in_frame_num_value_allowed_flag
  const uint64_t width_mbs = uint64_t{r.ue()} + 1;
  const uint64_t height_map_units = uint64_t{r.ue()} + 1;
  const bool frame_mbs_only = r.flag();
  if (width_mbs > kMaxDimension || height_map_units > kMaxDimension)
    throw CodecError("picture larger than any level allows");
  if (!frame_mbs_only) r.skip(1);  // mb_adaptive_frame_field_flag
  r.skip(1);                       // direct_8x8_inference_flag
  uint64_t crop_left = 0, crop_right = 0, crop_top = 0, crop_bottom = 0;
  if (r.flag()) {
    crop_left = r.ue();
    crop_right = r.ue();
    crop_top = r.ue();
    crop_bottom = r.ue();
  }
  // Crop units (7.4.2.1.1): chroma samples, or luma for monochrome and
  // separately coded planes; doubled vertically for field coding.
  const uint32_t chroma_array_type = separate_colour_planes ? 0 : out.chroma_format_idc;
  const uint64_t sub_width = chroma_array_type == 1 || chroma_array_type == 2 ? 2 : 1;
  const uint64_t sub_height = chroma_array_type == 1 ? 2 : 1;
  const uint64_t field_factor = frame_mbs_only ? 1 : 2;
  const uint64_t full_width = width_mbs * 16;
  const uint64_t full_height = field_factor * height_map_units * 16;
  const uint64_t cut_x = sub_width * (crop_left + crop_right);
  const uint64_t cut_y = sub_height * field_factor * (crop_top + crop_bottom);
  if (cut_x >= full_width || cut_y >= full_height)
    throw CodecError("cropping window larger than the picture");
  out.size = {static_cast<uint32_t>(full_width - cut_x),
              static_cast<uint32_t>(full_height - cut_y)};
  return out;
}

}  // namespace

Parsed<SpsSummary> parse_avc_sps(std::span<const uint8_t> nal_unit) {
  if (nal_unit.empty() || (nal_unit[0] & 0x1F) != 7)
    return Parsed<SpsSummary>::fail("not an H.264 SPS NAL unit");
  try {
    const auto rbsp = rbsp_of(nal_unit.subspan(1));
    BitReader r(rbsp);
    return Parsed<SpsSummary>::ok(read_sps(r));
  } catch (const CodecError& e) {
    return Parsed<SpsSummary>::fail(std::string("H.264 SPS: ") + e.what());
  }
}

Parsed<AvcConfig> parse_avc_config(std::span<const uint8_t> record) {
  using Result = Parsed<AvcConfig>;
  try {
    ByteReader r(record);
    AvcConfig out;
    if (r.u8() != 1) return Result::fail("AVC decoder configuration: version is not 1");
    out.profile = r.u8();
    out.compatibility = r.u8();
    out.level = r.u8();
    out.nalu_length_size = static_cast<uint8_t>((r.u8() & 0x03) + 1);
    if (out.nalu_length_size == 3)
      return Result::fail("AVC decoder configuration: NAL unit length size 3");
    const size_t sps_count = r.u8() & 0x1F;
    for (size_t i = 0; i < sps_count; ++i) {
      auto nal = r.bytes(r.u16be());
      out.sps.emplace_back(nal.begin(), nal.end());
    }
    const size_t pps_count = r.u8();
    for (size_t i = 0; i < pps_count; ++i) {
      auto nal = r.bytes(r.u16be());
      out.pps.emplace_back(nal.begin(), nal.end());
    }
    // Bytes after the PPS list (high-profile extensions) are not needed:
    // the SPS says the same.
    if (out.sps.empty()) return Result::fail("AVC decoder configuration: no SPS");
    if (out.pps.empty()) return Result::fail("AVC decoder configuration: no PPS");
    if (auto sps = parse_avc_sps(out.sps.front())) out.picture = *sps;
    return Result::ok(std::move(out));
  } catch (const ProtocolError&) {
    return Result::fail("AVC decoder configuration: truncated");
  }
}

}  // namespace sluice::media::codec
