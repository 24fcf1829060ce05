#include "media/viewer_queue.hpp"

#include <algorithm>
#include <cstdint>

namespace sluice::media {
namespace {

// Sequence headers and metadata are tiny and a decoder cannot do without
// them, so they are never dropped.
bool always_kept(const Frame& f) {
  return f.is_sequence_header() || f.kind() == FrameKind::kData;
}

}  // namespace

bool ViewerQueue::push(const FramePtr& frame, Clock::time_point now) {
  if (waiting_for_keyframe_ && !always_kept(*frame)) {
    if (!frame->is_keyframe()) return true;
    waiting_for_keyframe_ = false;
  }
  items_.push_back({frame, StreamEvent::kNone});
  queued_bytes_ += frame->size();
  if (!overflowing()) return true;

  drop_media();
  ++total_skips_;
  recent_skips_.push_back(now);
  while (!recent_skips_.empty() && now - recent_skips_.front() > limits_.viewer_skip_window) {
    recent_skips_.pop_front();
  }
  // The frame that overflowed may itself be a keyframe to resume from.
  if (frame->is_keyframe()) {
    items_.push_back({frame, StreamEvent::kNone});
    queued_bytes_ += frame->size();
  } else {
    waiting_for_keyframe_ = true;
  }
  return recent_skips_.size() <= limits_.viewer_max_skips;
}

uint32_t ViewerQueue::media_span() const {
  const Frame* oldest = nullptr;
  for (const auto& item : items_) {
    if (item.frame && !always_kept(*item.frame)) {
      oldest = item.frame.get();
      break;
    }
  }
  if (!oldest || !items_.back().frame) return 0;
  // Frames are on the stream's 64-bit timeline (no wrap); the newest may be
  // a little behind the oldest across tracks, which counts as no span.
  const uint64_t newest = items_.back().frame->timestamp();
  const uint64_t span = newest > oldest->timestamp() ? newest - oldest->timestamp() : 0;
  return static_cast<uint32_t>(std::min<uint64_t>(span, UINT32_MAX));
}

void ViewerQueue::drop_media() {
  std::deque<QueueItem> kept;
  queued_bytes_ = 0;
  for (auto& item : items_) {
    if (!item.frame || always_kept(*item.frame)) {
      if (item.frame) queued_bytes_ += item.frame->size();
      kept.push_back(std::move(item));
    }
  }
  items_.swap(kept);
}

void ViewerQueue::drain_into(std::deque<QueueItem>& out) {
  for (auto& item : items_) out.push_back(std::move(item));
  items_.clear();
  queued_bytes_ = 0;
}

}  // namespace sluice::media
