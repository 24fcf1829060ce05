#include "rtmp/play_limit.hpp"

namespace sluice::rtmp {

PlayLimit::Verdict PlayLimit::admit(const media::Frame& frame) {
  if (complete_) return Verdict::kStop;
  if (!duration_ms_) return Verdict::kSend;
  if (frame.kind() == media::FrameKind::kData || frame.is_sequence_header()) {
    if (frame.is_video()) has_video_ = true;
    return Verdict::kSend;
  }
  if (frame.is_video()) has_video_ = true;
  return *duration_ms_ == 0 ? single_frame(frame) : span(frame);
}

PlayLimit::Verdict PlayLimit::single_frame(const media::Frame& frame) {
  // Audio ahead of the first picture is not the frame a snapshot wants.
  if (frame.is_audio() && has_video_) return Verdict::kSkip;
  complete_ = true;
  return Verdict::kSendAndStop;
}

PlayLimit::Verdict PlayLimit::span(const media::Frame& frame) {
  if (!first_timestamp_) first_timestamp_ = frame.timestamp();
  // Audio and video interleave with small timestamp inversions, and
  // timestamps wrap at 2^32: a signed 32-bit difference handles both.
  const auto delta = static_cast<int32_t>(frame.timestamp() - *first_timestamp_);
  const uint64_t elapsed = delta > 0 ? static_cast<uint64_t>(delta) : 0;
  if (elapsed >= *duration_ms_) {
    complete_ = true;
    return Verdict::kStop;
  }
  if (elapsed > last_elapsed_ms_) last_elapsed_ms_ = elapsed;
  return Verdict::kSend;
}

}  // namespace sluice::rtmp
