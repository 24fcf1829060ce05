#include "fmp4/fragment.hpp"

#include "fmp4/box_writer.hpp"
#include "media/codec/flv_media_header.hpp"

namespace sluice::fmp4 {
namespace {

namespace codec = media::codec;

// ISO/IEC 14496-12 8.8.3.1 sample flags: a sync sample depends on no other;
// any other depends on others and is a non-sync sample.
constexpr uint32_t kSyncSampleFlags = 0x02000000;
constexpr uint32_t kOtherSampleFlags = 0x01010000;

// trun: data offset, then per sample duration, size, flags, composition offset.
constexpr uint32_t kTrunFlags = 0x000001 | 0x000100 | 0x000200 | 0x000400 | 0x000800;

}  // namespace

std::vector<uint8_t> build_fragment(uint32_t sequence_number, const std::vector<TrackRun>& runs) {
  std::vector<uint8_t> out;
  BoxWriter w(out);
  const auto moof = w.open("moof");
  const auto mfhd = w.open_full("mfhd", 0, 0);
  w.u32(sequence_number);
  w.close(mfhd);
  std::vector<size_t> data_offset_at;
  for (const auto& run : runs) {
    if (run.samples.empty()) continue;
    const auto traf = w.open("traf");
    const auto tfhd = w.open_full("tfhd", 0, 0x020000);  // default-base-is-moof
    w.u32(run.track_id);
    w.close(tfhd);
    const auto tfdt = w.open_full("tfdt", 1, 0);
    w.u64(run.base_decode_time);
    w.close(tfdt);
    // Version 1: signed composition offsets (B-frames before their reference).
    const auto trun = w.open_full("trun", 1, kTrunFlags);
    w.u32(static_cast<uint32_t>(run.samples.size()));
    data_offset_at.push_back(w.size());
    w.u32(0);  // patched below, once the moof's size is known
    for (const auto& s : run.samples) {
      w.u32(s.duration);
      w.u32(static_cast<uint32_t>(s.data.size()));
      w.u32(s.sync ? kSyncSampleFlags : kOtherSampleFlags);
      w.u32(static_cast<uint32_t>(s.composition_offset));
    }
    w.close(trun);
    w.close(traf);
  }
  w.close(moof);

  const auto mdat = w.open("mdat");
  size_t run_index = 0;
  for (const auto& run : runs) {
    if (run.samples.empty()) continue;
    // Offsets count from the moof's first byte (default-base-is-moof).
    w.patch_u32(data_offset_at[run_index++], static_cast<uint32_t>(w.size() - moof));
    for (const auto& s : run.samples) w.bytes(s.data);
  }
  w.close(mdat);
  return out;
}

std::optional<std::span<const uint8_t>> sample_data(const media::Frame& frame) {
  if (frame.is_sequence_header()) return std::nullopt;
  if (frame.is_video()) {
    auto header = codec::parse_video_tag_header(frame.payload());
    if (!header || header->packet != codec::VideoPacket::kNalUnits) return std::nullopt;
    return header->body;
  }
  if (frame.is_audio()) {
    auto header = codec::parse_audio_tag_header(frame.payload());
    if (!header || header->sequence_header) return std::nullopt;
    return header->body;
  }
  return std::nullopt;
}

}  // namespace sluice::fmp4
