#pragma once
// A viewer session's end of a stream: the Subscriber the stream pushes into,
// and a queue the session's writer drains. The same class serves RTMP and
// HTTP-FLV playback; only the wire encoding differs. `notify` wakes the
// session's writer whenever something new is queued.
#include <deque>
#include <functional>

#include "media/subscriber.hpp"
#include "media/viewer_queue.hpp"

namespace sluice::media {

class Subscription : public Subscriber {
 public:
  enum class Ending { kNone, kStreamClosed, kTooSlow };

  Subscription(const config::MediaConfig& limits, std::function<void()> notify)
      : queue_(limits),
        merge_ms_(static_cast<uint32_t>(limits.viewer_write_merge.count())),
        notify_(std::move(notify)) {}

  bool has_items() const { return !queue_.empty(); }
  void drain_into(std::deque<QueueItem>& out) { queue_.drain_into(out); }
  bool publisher_live() const { return publisher_live_; }
  Ending ending() const { return ending_; }
  uint64_t skips() const { return queue_.skips(); }

  void on_frame(const FramePtr& frame) override {
    if (ending_ != Ending::kNone) return;
    if (!queue_.push(frame)) ending_ = Ending::kTooSlow;
    // Wake the writer once enough media has gathered to be worth a write;
    // headers, metadata and the end of a slow viewer go at once.
    if (ending_ != Ending::kNone || merge_ms_ == 0 || queue_.media_span() >= merge_ms_ ||
        frame->is_sequence_header() || frame->kind() == FrameKind::kData) {
      notify_();
    }
  }
  void on_publisher_joined() override {
    publisher_live_ = true;
    queue_.push_event(StreamEvent::kPublisherJoined);
    notify_();
  }
  void on_publisher_left() override {
    publisher_live_ = false;
    queue_.push_event(StreamEvent::kPublisherLeft);
    notify_();
  }
  void on_stream_closed() override {
    if (ending_ == Ending::kNone) ending_ = Ending::kStreamClosed;
    notify_();
  }

 private:
  ViewerQueue queue_;
  uint32_t merge_ms_;
  std::function<void()> notify_;
  bool publisher_live_ = false;
  Ending ending_ = Ending::kNone;
};

}  // namespace sluice::media
