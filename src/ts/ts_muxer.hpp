#pragma once
// A live stream's frames as an MPEG transport stream (ISO/IEC 13818-1), the
// container of classic HLS segments (RFC 8216 3.2): one program, H.264 or
// H.265 video on PID 0x100 and AAC (ADTS) audio on PID 0x101, the PCR on the
// video PID (the audio PID when there is no video). A muxer belongs to one
// stream and keeps its continuity counters from segment to segment, so
// segments played back to back are one continuous transport stream.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "media/frame.hpp"
#include "ts/ts_packets.hpp"

namespace sluice::ts {

constexpr uint16_t kVideoPid = 0x100;
constexpr uint16_t kAudioPid = 0x101;

class TsMuxer {
 public:
  // The decoder configurations of the tracks to carry (null: no such track).
  TsMuxer(media::VideoConfigPtr video, media::AudioConfigPtr audio);

  bool has_video() const { return video_config_ != nullptr; }
  bool has_audio() const { return audio_config_ != nullptr; }

  // The PAT and PMT, which start every segment.
  void write_tables(std::vector<uint8_t>& out);
  // One coded audio or video frame of a track this muxer carries. Frames it
  // cannot carry (sequence headers, data, another track, malformed units)
  // append nothing and return why.
  std::optional<std::string> write(const media::Frame& frame, std::vector<uint8_t>& out);

 private:
  std::optional<std::string> write_video(const media::Frame& frame, std::vector<uint8_t>& out);
  std::optional<std::string> write_audio(const media::Frame& frame, std::vector<uint8_t>& out);

  media::VideoConfigPtr video_config_;
  media::AudioConfigPtr audio_config_;
  PidWriter pat_;
  PidWriter pmt_;
  PidWriter video_;
  PidWriter audio_;
  std::vector<uint8_t> pes_;  // reused for every frame
};

}  // namespace sluice::ts
