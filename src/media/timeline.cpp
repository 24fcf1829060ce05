#include "media/timeline.hpp"

#include <algorithm>

namespace sluice::media {

size_t Timeline::track(FrameKind kind) {
  switch (kind) {
    case FrameKind::kAudio:
      return 0;
    case FrameKind::kVideo:
      return 1;
    default:
      return 2;
  }
}

Placement Timeline::place(FrameKind kind, uint32_t timestamp) {
  Placement p;
  auto& last = last_out_[track(kind)];
  int64_t out;
  if (kind == FrameKind::kData) {
    // Metadata is often stamped 0 whatever the media time is; it must not
    // become the reference that audio and video are unwrapped against.
    out = last_input_ ? unwrapped_ + static_cast<int32_t>(timestamp - *last_input_) + offset_
                      : newest_.value_or(0);
    // One far from the media time either way (stamped 0, or by another
    // clock) is placed at the newest time.
    if (newest_ && (out < *newest_ - kSmallStepBackMs || out > *newest_ + kSmallStepBackMs))
      out = *newest_;
    if (last) out = std::max(out, *last);
  } else {
    if (!last_input_) {
      unwrapped_ = timestamp;
      offset_ = newest_ ? *newest_ + kRepublishGapMs - unwrapped_ : 0;
    } else {
      unwrapped_ += static_cast<int32_t>(timestamp - *last_input_);
    }
    last_input_ = timestamp;
    out = unwrapped_ + offset_;
    if (last && out < *last) {
      const int64_t back = *last - out;
      p.went_back_ms = static_cast<uint64_t>(back);
      p.shifted = true;
      if (back > kSmallStepBackMs) offset_ += back;  // later frames continue from here too
      out = *last;
    }
  }
  out = std::max<int64_t>(out, 0);
  last = out;
  if (kind != FrameKind::kData) newest_ = std::max(newest_.value_or(0), out);
  p.timestamp = static_cast<uint64_t>(out);
  return p;
}

}  // namespace sluice::media
