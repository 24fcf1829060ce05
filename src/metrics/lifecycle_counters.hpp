#pragma once
// Counts of what the lifecycle events report (publishes and plays started
// and ended, refusals), kept on the media executor by a subscriber of the
// gate's events (docs/design.md, "Metrics"). The scrape reads them with a
// snapshot taken on media: nothing here is touched from another thread.
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "manage/lifecycle_events.hpp"
#include "media/stream_key.hpp"

namespace sluice::metrics {

// Label values → count; the label names are the renderer's.
using LabelledCounts = std::map<std::vector<std::string>, uint64_t>;

// The plays open on one stream, by protocol.
struct StreamPlays {
  uint64_t rtmp = 0;
  uint64_t http_flv = 0;
  uint64_t hls = 0;
  uint64_t total() const { return rtmp + http_flv + hls; }
};

struct LifecycleCounts {
  LabelledCounts publishes_started;  // protocol
  LabelledCounts publishes_ended;    // protocol, reason
  LabelledCounts plays_started;      // protocol
  LabelledCounts plays_ended;        // protocol, reason
  LabelledCounts refusals;           // action, kind
  LabelledCounts plays_open;         // protocol (a gauge)
  LabelledCounts play_bytes;         // protocol: bytes sent by plays that ended
  uint64_t ended_publish_bytes = 0;  // bytes received by publishes that ended
  // Per stream (viewers by protocol); a stream leaves with its last play, so
  // the map is as large as the streams being watched.
  std::map<media::StreamKey, StreamPlays> stream_plays_open;
};

// Label values as the metrics spell them (snake_case, no spaces).
std::string protocol_label(manage::AccessProtocol protocol);
std::string refusal_label(manage::Refusal::Kind kind);
std::string play_end_label(manage::PlayEnd end);

class LifecycleCounters {
 public:
  explicit LifecycleCounters(manage::LifecycleEvents& events);

  // A copy, taken on the media executor.
  const LifecycleCounts& counts() const { return counts_; }
  void count(const manage::LifecycleEvent& event);

 private:
  LifecycleCounts counts_;
  manage::EventSubscription subscription_;
};

}  // namespace sluice::metrics
