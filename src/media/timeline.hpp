#pragma once
// A stream's output clock: the publishers' 32-bit RTMP timestamps become one
// 64-bit millisecond timeline that viewers can trust.
//
// - Wrap-around at 2^32 continues: each timestamp is read as a signed
//   difference from the previous one (serial number arithmetic), so
//   0xFFFFFFF0 followed by 0x10 is 32 ms later, not 49 days earlier.
// - "Non-decreasing" is per track. Audio and video interleave with slightly
//   out-of-order timestamps in real streams, and that skew is A/V sync: it is
//   kept as sent. A frame earlier than the last one of its own track is
//   clamped to that one when the step back is small (<= kSmallStepBackMs);
//   a larger step back is a discontinuity (an encoder restart, a relay
//   switching sources): the whole timeline shifts so the frame continues at
//   its track's last time, and every later frame of every track moves with it.
// - A new publisher (a republish within the grace period) starts a new clock
//   and continues a few ms after the newest frame viewers have.
// - Data messages (metadata, cue points) never move the timeline; one more
//   than kSmallStepBackMs away from the newest audio/video time is placed
//   at that time.
// Forward jumps pass through unchanged: they are gaps, and gaps happen.
#include <array>
#include <cstdint>
#include <optional>

#include "media/frame.hpp"

namespace sluice::media {

struct Placement {
  uint64_t timestamp = 0;
  // How far the publisher's time went back, when it did (0 otherwise), and
  // whether the frame was moved by a clamp or a shift of the timeline.
  uint64_t went_back_ms = 0;
  bool shifted = false;
};

class Timeline {
 public:
  static constexpr int64_t kSmallStepBackMs = 1000;
  static constexpr int64_t kRepublishGapMs = 10;

  // The next frame comes from a new publisher whose clock is unrelated.
  void restart() { last_input_.reset(); }

  Placement place(FrameKind kind, uint32_t timestamp);

 private:
  static size_t track(FrameKind kind);

  std::optional<uint32_t> last_input_;              // the previous audio/video timestamp as sent
  int64_t unwrapped_ = 0;                           // last_input_ extended to 64 bits
  int64_t offset_ = 0;                              // output = unwrapped input + offset
  std::optional<int64_t> newest_;                   // newest audio/video output
  std::array<std::optional<int64_t>, 3> last_out_;  // per track: audio, video, data
};

}  // namespace sluice::media
