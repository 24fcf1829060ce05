#pragma once
// A viewer's bounded backlog of frames and stream events.
//
// When the backlog spans more than the configured media time or bytes, the
// viewer cannot keep up: its queued media is dropped and it resumes at the
// next keyframe (decoders need one), keeping sequence headers and metadata.
// A viewer that has to skip too often is reported as too slow and dropped.
#include <chrono>
#include <deque>

#include "config/config.hpp"
#include "media/frame.hpp"

namespace sluice::media {

enum class StreamEvent : uint8_t { kNone, kPublisherJoined, kPublisherLeft };

struct QueueItem {
  FramePtr frame;  // null for an event
  StreamEvent event = StreamEvent::kNone;
};

class ViewerQueue {
 public:
  using Clock = std::chrono::steady_clock;

  explicit ViewerQueue(const config::MediaConfig& limits) : limits_(limits) {}

  // Returns false when the viewer has fallen behind too often and must go.
  bool push(const FramePtr& frame, Clock::time_point now = Clock::now());
  void push_event(StreamEvent event) { items_.push_back({nullptr, event}); }

  bool empty() const { return items_.empty(); }
  size_t size() const { return items_.size(); }
  uint64_t queued_bytes() const { return queued_bytes_; }
  uint64_t skips() const { return total_skips_; }
  // Media time between the oldest and newest droppable frame queued, in ms.
  uint32_t media_span() const;
  // Moves everything queued into `out` (appending).
  void drain_into(std::deque<QueueItem>& out);

 private:
  bool overflowing() const {
    return queued_bytes_ > limits_.viewer_queue_max_bytes ||
           media_span() > limits_.viewer_queue_max.count();
  }
  void drop_media();

  const config::MediaConfig& limits_;
  std::deque<QueueItem> items_;
  uint64_t queued_bytes_ = 0;
  bool waiting_for_keyframe_ = false;
  std::deque<Clock::time_point> recent_skips_;
  uint64_t total_skips_ = 0;
};

}  // namespace sluice::media
