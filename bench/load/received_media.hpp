#pragma once
// What an HLS viewer records for the video access units of one resource
// (a segment or an LL-HLS part) read whole at one moment: each unit as a
// media message (its PTS, keyframe or not) and each stamped unit's
// publish -> receive latency, the resource's first stamped unit marked.
#include "access_unit.hpp"
#include "session_stats.hpp"

namespace sluice::load {

class ReceivedMedia {
 public:
  // `now` and `wall_us` (wall_clock_us()) are taken once the resource is whole.
  ReceivedMedia(SessionStats& stats, Clock::time_point now, int64_t wall_us)
      : stats_(stats), now_(now), wall_us_(wall_us) {}

  void operator()(const AccessUnit& unit) {
    if (unit.pts_ms) {
      // As an FLV video tag head: frame type (1 key, 2 inter), codec 7 (AVC), NAL units.
      const uint8_t head[2] = {uint8_t(unit.keyframe ? 0x17 : 0x27), 0x01};
      stats_.on_media(9, static_cast<uint32_t>(*unit.pts_ms), head, now_);
    }
    if (unit.stamp_us) {
      stats_.on_latency(static_cast<double>(wall_us_ - *unit.stamp_us) / 1000.0, first_);
      first_ = false;
    }
  }

 private:
  SessionStats& stats_;
  Clock::time_point now_;
  int64_t wall_us_;
  bool first_ = true;
};

}  // namespace sluice::load
