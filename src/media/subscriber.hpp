#pragma once
// What a stream tells its viewers. Calls come from the stream's thread and
// must not block: a viewer queues and returns, so the publisher never waits.
#include "media/frame.hpp"

namespace sluice::media {

class Subscriber {
 public:
  virtual ~Subscriber() = default;
  virtual void on_frame(const FramePtr& frame) = 0;
  // The publisher appeared (first time, or back within the grace period).
  virtual void on_publisher_joined() = 0;
  // The publisher left; the stream waits unpublish_grace for it to return.
  virtual void on_publisher_left() = 0;
  // The stream is over for this viewer: end the session.
  virtual void on_stream_closed() = 0;
};

}  // namespace sluice::media
