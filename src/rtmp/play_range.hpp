#pragma once
// The Start and Duration arguments of the RTMP `play` command (RTMP spec
// 7.2.2.1: play, transaction id, null, name, Start, Duration, Reset).
//
// The spec's text says seconds, but every client and server in use puts
// milliseconds on the wire: Flash Player, librtmp (`rtmpdump --live` sends
// Start -1000, `--stop 3` Duration 3000), ffmpeg (-2000/-1000/0), SRS and
// nginx-rtmp. sluice reads milliseconds too.
#include <cstdint>
#include <optional>
#include <vector>

#include "rtmp/amf0.hpp"

namespace sluice::rtmp {

struct PlayRange {
  // -2 (the default): live, or recorded when there is no live stream;
  // -1: live only; >= 0: a recorded stream from that offset.
  enum class Start { kLiveOrRecorded, kLiveOnly, kOffset };
  Start start = Start::kLiveOrRecorded;
  uint64_t start_offset_ms = 0;  // for kOffset
  // nullopt: until the stream ends (-1, the default); 0: a single frame;
  // > 0: that many milliseconds of media.
  std::optional<uint64_t> duration_ms;
};

// Reads Start (index 4) and Duration (index 5) of a decoded play command.
// Absent, non-numeric or non-finite arguments take their defaults; any
// negative Duration means "until the end", and a negative Start other than
// -1 (or -1000) reads as -2.
PlayRange parse_play_range(const std::vector<amf0::Value>& cmd);

}  // namespace sluice::rtmp
