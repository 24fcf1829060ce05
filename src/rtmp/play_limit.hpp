#pragma once
// How much media a player asked for with the play command's Duration:
// decides, frame by frame, what to send and when the play is complete.
//
// Metadata and sequence headers are always sent (a decoder needs them) and
// do not count. Duration 0 asks for a single frame: the first video frame
// (a keyframe: viewers start at one), or the first audio frame of a stream
// without video. Duration N > 0 sends frames whose timestamps lie less than
// N ms after the first media frame sent, so the player gets N ms of media
// whether it comes from the GOP cache or live.
#include <cstdint>
#include <optional>

#include "media/frame.hpp"

namespace sluice::rtmp {

class PlayLimit {
 public:
  enum class Verdict {
    kSend,         // send it and carry on
    kSkip,         // not part of what was asked for; carry on
    kSendAndStop,  // send it; the play is then complete
    kStop,         // do not send it; the play is complete
  };

  // nullopt: no limit (Duration -1).
  explicit PlayLimit(std::optional<uint64_t> duration_ms) : duration_ms_(duration_ms) {}

  Verdict admit(const media::Frame& frame);
  bool complete() const { return complete_; }
  // Media sent so far, in milliseconds of timestamps.
  uint64_t sent_ms() const { return last_elapsed_ms_; }

 private:
  Verdict single_frame(const media::Frame& frame);
  Verdict span(const media::Frame& frame);

  std::optional<uint64_t> duration_ms_;
  bool complete_ = false;
  bool has_video_ = false;
  std::optional<uint32_t> first_timestamp_;
  uint64_t last_elapsed_ms_ = 0;
};

}  // namespace sluice::rtmp
