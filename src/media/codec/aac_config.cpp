#include "media/codec/aac_config.hpp"

#include <string>

#include "media/codec/bit_reader.hpp"

namespace sluice::media::codec {
namespace {

// 14496-3 Table 1.16; indices 13 and 14 are reserved.
constexpr uint32_t kFrequencies[13] = {96000, 88200, 64000, 48000, 44100, 32000, 24000,
                                       22050, 16000, 12000, 11025, 8000,  7350};
constexpr uint32_t kSbr = 5, kPs = 29;

uint32_t read_object_type(BitReader& r) {
  const uint32_t type = r.bits(5);
  return type == 31 ? 32 + r.bits(6) : type;
}

// samplingFrequencyIndex, or 15 and a 24-bit frequency.
uint32_t read_frequency(BitReader& r, std::optional<uint8_t>* index_out) {
  const uint32_t index = r.bits(4);
  if (index == 15) {
    const uint32_t hz = r.bits(24);
    if (hz == 0) throw CodecError("sampling frequency 0");
    return hz;
  }
  if (index >= 13) throw CodecError("reserved sampling frequency index " + std::to_string(index));
  if (index_out) *index_out = static_cast<uint8_t>(index);
  return kFrequencies[index];
}

}  // namespace

Parsed<AacConfig> parse_audio_specific_config(std::span<const uint8_t> config) {
  using Result = Parsed<AacConfig>;
  try {
    BitReader r(config);
    AacConfig out;
    out.object_type = read_object_type(r);
    if (out.object_type == 0) return Result::fail("AudioSpecificConfig: object type 0 (null)");
    out.core_object_type = out.object_type;
    out.sampling_frequency = read_frequency(r, &out.sampling_index);
    out.channel_configuration = static_cast<uint8_t>(r.bits(4));
    if (out.channel_configuration > 7 && out.channel_configuration < 11)
      return Result::fail("AudioSpecificConfig: reserved channel configuration " +
                          std::to_string(out.channel_configuration));
    if (out.object_type == kSbr || out.object_type == kPs) {
      out.sbr = true;
      out.ps = out.object_type == kPs;
      out.extension_sampling_frequency = read_frequency(r, nullptr);
      out.core_object_type = read_object_type(r);
      if (out.core_object_type == 0 || out.core_object_type == kSbr || out.core_object_type == kPs)
        return Result::fail("AudioSpecificConfig: invalid core object type under SBR");
    }
    return Result::ok(out);
  } catch (const CodecError& e) {
    return Result::fail(std::string("AudioSpecificConfig: ") + e.what());
  }
}

std::optional<std::array<uint8_t, 7>> adts_header(const AacConfig& config, size_t payload_size) {
  const size_t frame_length = payload_size + 7;
  if (config.core_object_type < 1 || config.core_object_type > 4 || !config.sampling_index ||
      config.channel_configuration < 1 || config.channel_configuration > 7 ||
      frame_length > 0x1FFF) {
    return std::nullopt;
  }
  const uint32_t profile = config.core_object_type - 1;
  const uint32_t index = *config.sampling_index;
  const uint32_t channels = config.channel_configuration;
  std::array<uint8_t, 7> h{};
  h[0] = 0xFF;
  h[1] = 0xF1;  // syncword end, MPEG-4, layer 0, no CRC
  h[2] = static_cast<uint8_t>(profile << 6 | index << 2 | channels >> 2);
  h[3] = static_cast<uint8_t>((channels & 3) << 6 | frame_length >> 11);
  h[4] = static_cast<uint8_t>(frame_length >> 3);
  h[5] = static_cast<uint8_t>((frame_length & 7) << 5 | 0x1F);  // buffer fullness 0x7FF: VBR
  h[6] = 0xFC;  // fullness low bits, one raw data block
  return h;
}

}  // namespace sluice::media::codec
