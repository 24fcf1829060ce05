#include "ts/ts_muxer.hpp"

#include "media/codec/flv_media_header.hpp"
#include "ts/annexb.hpp"
#include "ts/pes.hpp"
#include "ts/psi.hpp"

namespace sluice::ts {
namespace {

namespace codec = media::codec;

uint64_t ticks(int64_t ms) {
  return static_cast<uint64_t>(ms) * kTicksPerMs;
}

}  // namespace

TsMuxer::TsMuxer(media::VideoConfigPtr video, media::AudioConfigPtr audio)
    : video_config_(std::move(video)),
      audio_config_(std::move(audio)),
      pat_(kPatPid),
      pmt_(kPmtPid),
      video_(kVideoPid),
      audio_(kAudioPid) {}

void TsMuxer::write_tables(std::vector<uint8_t>& out) {
  std::vector<ElementaryStream> streams;
  if (video_config_) {
    streams.push_back(
        {video_config_->codec == codec::VideoCodec::kHevc ? StreamType::kH265 : StreamType::kH264,
         kVideoPid});
  }
  if (audio_config_) streams.push_back({StreamType::kAacAdts, kAudioPid});
  const auto pat = pat_section();
  const auto pmt = pmt_section(streams, video_config_ ? kVideoPid : kAudioPid);
  pat_.write({kPatPid, pat, std::nullopt, false}, out);
  pmt_.write({kPmtPid, pmt, std::nullopt, false}, out);
}

std::optional<std::string> TsMuxer::write(const media::Frame& frame, std::vector<uint8_t>& out) {
  if (frame.is_sequence_header()) return "a sequence header (carried in the stream's tables)";
  if (frame.is_video()) {
    if (!video_config_) return "video, but the segment has no video track";
    return write_video(frame, out);
  }
  if (frame.is_audio()) {
    if (!audio_config_) return "audio, but the segment has no audio track";
    return write_audio(frame, out);
  }
  return "not audio or video";
}

std::optional<std::string> TsMuxer::write_video(const media::Frame& frame,
                                                std::vector<uint8_t>& out) {
  auto header = codec::parse_video_tag_header(frame.payload());
  if (!header) return header.error();
  if (header->packet != codec::VideoPacket::kNalUnits) return "not a coded picture";
  std::vector<uint8_t> access_unit;
  if (auto bad = append_annexb(*video_config_, header->body, frame.is_keyframe(), access_unit))
    return bad;
  const uint64_t dts = ticks(static_cast<int64_t>(frame.dts()));
  // A malformed negative offset would put PTS before DTS: present at DTS.
  const uint64_t pts = frame.pts() < static_cast<int64_t>(frame.dts()) ? dts : ticks(frame.pts());
  pes_.clear();
  put_pes_header(pes_, kVideoStreamId, access_unit.size(), pts, dts);
  pes_.insert(pes_.end(), access_unit.begin(), access_unit.end());
  video_.write({kVideoPid, pes_, dts, frame.is_keyframe()}, out);
  return std::nullopt;
}

std::optional<std::string> TsMuxer::write_audio(const media::Frame& frame,
                                                std::vector<uint8_t>& out) {
  auto header = codec::parse_audio_tag_header(frame.payload());
  if (!header) return header.error();
  if (header->sequence_header) return "a sequence header (carried in the stream's tables)";
  auto adts = codec::adts_header(audio_config_->aac, header->body.size());
  if (!adts) return "this AAC configuration cannot be carried in ADTS";
  const uint64_t pts = ticks(static_cast<int64_t>(frame.dts()));
  pes_.clear();
  put_pes_header(pes_, kAudioStreamId, adts->size() + header->body.size(), pts, std::nullopt);
  pes_.insert(pes_.end(), adts->begin(), adts->end());
  pes_.insert(pes_.end(), header->body.begin(), header->body.end());
  // Audio carries the PCR only when there is no video; every AAC frame is a
  // point a decoder can start from.
  std::optional<uint64_t> pcr;
  if (!video_config_) pcr = pts;
  audio_.write({kAudioPid, pes_, pcr, true}, out);
  return std::nullopt;
}

}  // namespace sluice::ts
