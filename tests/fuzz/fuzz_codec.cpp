// A sequence header as a publisher sends it (first byte: 0 video, 1 audio;
// then the FLV message body) through the codec layer. Whatever the bytes, the
// parsers return a config or an error, and what they return is consistent.
#include <cstddef>
#include <cstdint>
#include <span>

#include "media/codec/codec_config.hpp"

using namespace sluice::media::codec;

namespace {

void check_picture(const std::optional<SpsSummary>& picture) {
  if (!picture) return;
  if (picture->size.width == 0 || picture->size.height == 0 || picture->chroma_format_idc > 3)
    __builtin_trap();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1) return 0;
  const std::span<const uint8_t> body(data + 1, size - 1);
  if (data[0] % 2 == 0) {
    auto config = parse_video_config(body);
    if (!config) {
      if (config.error().empty()) __builtin_trap();
    } else {
      const uint8_t n = config->nalu_length_size();
      if (n != 1 && n != 2 && n != 4) __builtin_trap();
      check_picture(config->picture());
    }
    // The raw parameter-set parsers on the same bytes.
    check_picture(parse_avc_sps(body) ? std::optional(*parse_avc_sps(body)) : std::nullopt);
    check_picture(parse_hevc_sps(body) ? std::optional(*parse_hevc_sps(body)) : std::nullopt);
    // The tag header alone (legacy or Enhanced RTMP, every packet type): its
    // body lies inside the input, and the quick composition-offset reader
    // the frames use agrees with the full parse.
    auto header = parse_video_tag_header(body);
    if (header) {
      if (header->body.size() > body.size()) __builtin_trap();
      if (header->packet == VideoPacket::kNalUnits &&
          header->composition_offset != composition_offset_of(body))
        __builtin_trap();
    } else if (header.error().empty()) {
      __builtin_trap();
    }
  } else {
    auto config = parse_audio_config(body);
    if (!config) {
      if (config.error().empty()) __builtin_trap();
      return 0;
    }
    if (auto header = adts_header(config->aac, size)) {
      if ((*header)[0] != 0xFF || ((*header)[1] & 0xF0) != 0xF0) __builtin_trap();
    }
  }
  return 0;
}
