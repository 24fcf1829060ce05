#include "fmp4/init_segment.hpp"

#include <fmt/format.h>

#include "fmp4/box_writer.hpp"
#include "media/codec/flv_media_header.hpp"

namespace sluice::fmp4 {
namespace {

namespace codec = media::codec;

// 16.16 and 2.30 fixed-point identity matrix of tkhd and mvhd.
void identity_matrix(BoxWriter& w) {
  for (uint32_t v : {0x00010000u, 0u, 0u, 0u, 0x00010000u, 0u, 0u, 0u, 0x40000000u}) w.u32(v);
}

void mvhd(BoxWriter& w, uint32_t next_track) {
  const auto box = w.open_full("mvhd", 0, 0);
  w.u32(0);           // creation_time
  w.u32(0);           // modification_time
  w.u32(1000);        // timescale
  w.u32(0);           // duration: unknown, live
  w.u32(0x00010000);  // rate 1.0
  w.u16(0x0100);      // volume 1.0
  w.zeros(10);
  identity_matrix(w);
  w.zeros(24);  // pre_defined
  w.u32(next_track);
  w.close(box);
}

void tkhd(BoxWriter& w, uint32_t track_id, bool audio, uint32_t width, uint32_t height) {
  const auto box = w.open_full("tkhd", 0, 0x3);  // enabled, in movie
  w.u32(0);
  w.u32(0);
  w.u32(track_id);
  w.u32(0);  // reserved
  w.u32(0);  // duration
  w.zeros(8);
  w.u16(0);  // layer
  w.u16(0);  // alternate_group
  w.u16(audio ? 0x0100 : 0);
  w.u16(0);
  identity_matrix(w);
  w.u32(width << 16);
  w.u32(height << 16);
  w.close(box);
}

void mdhd(BoxWriter& w, uint32_t timescale) {
  const auto box = w.open_full("mdhd", 0, 0);
  w.u32(0);
  w.u32(0);
  w.u32(timescale);
  w.u32(0);
  w.u16(0x55C4);  // language "und"
  w.u16(0);
  w.close(box);
}

void hdlr(BoxWriter& w, bool audio) {
  const auto box = w.open_full("hdlr", 0, 0);
  w.u32(0);
  w.text(audio ? "soun" : "vide");
  w.zeros(12);
  w.text(audio ? "SoundHandler" : "VideoHandler");
  w.u8(0);
  w.close(box);
}

void dinf(BoxWriter& w) {
  const auto box = w.open("dinf");
  const auto dref = w.open_full("dref", 0, 0);
  w.u32(1);
  const auto url = w.open_full("url ", 0, 1);  // the media is in this file
  w.close(url);
  w.close(dref);
  w.close(box);
}

// The sample tables are empty: every sample is in a fragment.
void empty_tables(BoxWriter& w) {
  for (const char* type : {"stts", "stsc", "stco"}) {
    const auto box = w.open_full(type, 0, 0);
    w.u32(0);
    w.close(box);
  }
  const auto stsz = w.open_full("stsz", 0, 0);
  w.u32(0);
  w.u32(0);
  w.close(stsz);
}

void visual_sample_entry(BoxWriter& w, bool hevc, uint32_t width, uint32_t height,
                         std::span<const uint8_t> record) {
  const auto box = w.open(hevc ? "hvc1" : "avc1");
  w.zeros(6);
  w.u16(1);  // data_reference_index
  w.zeros(16);
  w.u16(static_cast<uint16_t>(width));
  w.u16(static_cast<uint16_t>(height));
  w.u32(0x00480000);  // 72 dpi
  w.u32(0x00480000);
  w.u32(0);
  w.u16(1);     // frame_count
  w.zeros(32);  // compressorname
  w.u16(0x0018);
  w.u16(0xFFFF);
  const auto config = w.open(hevc ? "hvcC" : "avcC");
  w.bytes(record);
  w.close(config);
  w.close(box);
}

// An MPEG-4 descriptor's tag and size (the 4-byte size form every muxer accepts).
void descriptor(BoxWriter& w, uint8_t tag, size_t size) {
  w.u8(tag);
  for (int shift = 21; shift > 0; shift -= 7)
    w.u8(static_cast<uint8_t>(0x80 | ((size >> shift) & 0x7F)));
  w.u8(static_cast<uint8_t>(size & 0x7F));
}

void audio_sample_entry(BoxWriter& w, const codec::AacConfig& aac, std::span<const uint8_t> asc) {
  const auto box = w.open("mp4a");
  w.zeros(6);
  w.u16(1);
  w.zeros(8);
  w.u16(aac.channel_configuration == 0 ? 2 : std::min<uint16_t>(aac.channel_configuration, 8));
  w.u16(16);  // sample size
  w.u32(0);
  w.u32(audio_timescale(codec::AudioConfig{codec::AudioCodec::kAac, aac}) << 16);
  const auto esds = w.open_full("esds", 0, 0);
  const size_t specific = 5 + asc.size();
  const size_t decoder_config = 5 + 13 + specific;
  const size_t sl_config = 5 + 1;
  descriptor(w, 0x03, 3 + decoder_config + sl_config);  // ES_Descriptor
  w.u16(0);                                             // ES_ID
  w.u8(0);                                              // flags
  descriptor(w, 0x04, 13 + specific);                   // DecoderConfigDescriptor
  w.u8(0x40);                                           // MPEG-4 audio
  w.u8(0x15);                                           // audio stream
  w.u24(0);                                             // bufferSizeDB
  w.u32(0);                                             // maxBitrate
  w.u32(0);                                             // avgBitrate
  descriptor(w, 0x05, asc.size());                      // DecoderSpecificInfo
  w.bytes(asc);
  descriptor(w, 0x06, 1);  // SLConfigDescriptor
  w.u8(0x02);
  w.close(esds);
  w.close(box);
}

std::string video_codec_string(const codec::VideoConfig& c) {
  if (const auto* avc = std::get_if<codec::AvcConfig>(&c.record))
    return fmt::format("avc1.{:02x}{:02x}{:02x}", avc->profile, avc->compatibility, avc->level);
  const auto& h = std::get<codec::HevcConfig>(c.record);
  // ISO/IEC 14496-15 E.3: profile space, profile, compatibility (bit
  // reversed), tier and level, constraint bytes (trailing zero bytes dropped).
  uint32_t reversed = 0;
  for (int i = 0; i < 32; ++i) reversed |= ((h.profile_compatibility >> i) & 1u) << (31 - i);
  std::string out = "hvc1.";
  if (h.profile_space > 0) out += static_cast<char>('A' + h.profile_space - 1);
  out += fmt::format("{}.{:x}.{}{}", h.profile, reversed, h.high_tier ? 'H' : 'L', h.level);
  std::vector<uint8_t> constraint;
  for (int i = 5; i >= 0; --i)
    constraint.push_back(static_cast<uint8_t>(h.constraint_flags >> (8 * i)));
  while (!constraint.empty() && constraint.back() == 0) constraint.pop_back();
  for (auto b : constraint) out += fmt::format(".{:x}", b);
  return out;
}

}  // namespace

uint32_t audio_timescale(const codec::AudioConfig& config) {
  return config.aac.sampling_frequency > 0 ? config.aac.sampling_frequency : 48000;
}

InitSegment build_init_segment(const TrackSet& tracks) {
  InitSegment init;
  const auto* video = tracks.video_header ? tracks.video_header->video_config().get() : nullptr;
  const auto* audio = tracks.audio_header ? tracks.audio_header->audio_config().get() : nullptr;
  if (!video && !audio) {
    init.error = "no track with a usable decoder configuration";
    return init;
  }
  std::span<const uint8_t> record, asc;
  if (video) {
    auto header = codec::parse_video_tag_header(tracks.video_header->payload());
    if (!header) {
      init.error = header.error();
      return init;
    }
    record = header->body;
  }
  if (audio) {
    auto header = codec::parse_audio_tag_header(tracks.audio_header->payload());
    if (!header) {
      init.error = header.error();
      return init;
    }
    asc = header->body;
  }

  BoxWriter w(init.bytes);
  const auto ftyp = w.open("ftyp");
  w.text("iso6");
  w.u32(0);
  for (const char* brand : {"iso6", "cmfc", "mp41"}) w.text(brand);
  w.close(ftyp);

  const auto moov = w.open("moov");
  mvhd(w, 3);
  auto track = [&](bool is_audio) {
    uint32_t width = 0, height = 0;
    if (!is_audio && video->picture()) {
      width = video->picture()->size.width;
      height = video->picture()->size.height;
    }
    const auto trak = w.open("trak");
    tkhd(w, is_audio ? kAudioTrackId : kVideoTrackId, is_audio, width, height);
    const auto mdia = w.open("mdia");
    mdhd(w, is_audio ? audio_timescale(*audio) : kVideoTimescale);
    hdlr(w, is_audio);
    const auto minf = w.open("minf");
    if (is_audio) {
      const auto smhd = w.open_full("smhd", 0, 0);
      w.u32(0);
      w.close(smhd);
    } else {
      const auto vmhd = w.open_full("vmhd", 0, 1);
      w.zeros(8);
      w.close(vmhd);
    }
    dinf(w);
    const auto stbl = w.open("stbl");
    const auto stsd = w.open_full("stsd", 0, 0);
    w.u32(1);
    if (is_audio)
      audio_sample_entry(w, audio->aac, asc);
    else
      visual_sample_entry(w, video->codec == codec::VideoCodec::kHevc, width, height, record);
    w.close(stsd);
    empty_tables(w);
    w.close(stbl);
    w.close(minf);
    w.close(mdia);
    w.close(trak);
  };
  if (video) track(false);
  if (audio) track(true);
  const auto mvex = w.open("mvex");
  for (uint32_t id : {kVideoTrackId, kAudioTrackId}) {
    if ((id == kVideoTrackId && !video) || (id == kAudioTrackId && !audio)) continue;
    const auto trex = w.open_full("trex", 0, 0);
    w.u32(id);
    w.u32(1);  // default_sample_description_index
    w.u32(0);
    w.u32(0);
    w.u32(0);
    w.close(trex);
  }
  w.close(mvex);
  w.close(moov);

  if (video) init.codecs = video_codec_string(*video);
  if (audio) {
    if (!init.codecs.empty()) init.codecs += ",";
    init.codecs += fmt::format("mp4a.40.{}", audio->aac.object_type);
  }
  return init;
}

}  // namespace sluice::fmp4
