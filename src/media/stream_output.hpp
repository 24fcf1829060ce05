#pragma once
// Something the stream feeds that is not a viewer: an HLS segmenter, a
// recorder. An output gets every frame the publisher sends (sequence headers
// and metadata included, in publish order) and is told when a publish starts
// and ends. Unlike a viewer it is not counted in viewer_count() or the
// Viewers of listings, and it does not keep a stream alive: a stream with
// only outputs goes away when its publisher and viewers have.
//
// Calls come from the stream's thread and must not block (queue and return).
#include "media/frame.hpp"

namespace sluice::media {

class Stream;

class StreamOutput {
 public:
  virtual ~StreamOutput() = default;
  // A publisher started (or the output was attached to a live stream). The
  // stream's current decoder configurations are readable on `stream`; the
  // cached metadata, sequence headers and GOP follow as on_frame calls.
  virtual void on_publish_start(const Stream& stream) = 0;
  virtual void on_frame(const FramePtr& frame) = 0;
  // The publisher left (a republish within the grace period starts again
  // with on_publish_start).
  virtual void on_publish_end() = 0;
};

}  // namespace sluice::media
