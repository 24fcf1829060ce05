#pragma once
// One scrape: the media side's numbers (copied there), the process's and the
// API's (read on control), rendered as the exposition text.
#include <optional>
#include <string>
#include <vector>

#include "manage/access_gate.hpp"
#include "metrics/api_metrics.hpp"
#include "metrics/lifecycle_counters.hpp"
#include "metrics/process_stats.hpp"
#include "metrics/store_metrics.hpp"

namespace sluice::metrics {

struct ListenerCounts {
  std::string protocol;  // "rtmp", "http"
  size_t open = 0;
  uint64_t accept_failures = 0;
};

// Everything read from the media executor, copied there in one step.
struct MediaSnapshot {
  LifecycleCounts counts;
  std::vector<manage::OnlineStream> streams;
  std::vector<ListenerCounts> listeners;
};

// The durable callbacks' delivery (src/hooks, a layer above: app hands in a
// reader), read on control.
struct CallbackNumbers {
  uint64_t delivered = 0;
  uint64_t retries = 0;
  uint64_t failures = 0;
  uint64_t queue_depth = 0;
};

struct ScrapeInput {
  MediaSnapshot media;
  ProcessStats process;
  const ApiMetrics* api = nullptr;           // null: no API series
  std::optional<CallbackNumbers> callbacks;  // nullopt: no callback series
  const StoreMetrics* store = nullptr;       // null: no store series
  size_t max_stream_labels = 100;
};

// The series name of the streams beyond max_stream_labels, summed.
inline constexpr std::string_view kOtherStreams = "__other__";

std::string render(const ScrapeInput& input);

}  // namespace sluice::metrics
