#pragma once
// One scrape: the media side's numbers (copied there), the process's and the
// API's (read on control), rendered as the exposition text.
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

struct ScrapeInput {
  MediaSnapshot media;
  ProcessStats process;
  const ApiMetrics* api = nullptr;      // null: no API series
  const StoreMetrics* store = nullptr;  // null: no store series
  size_t max_stream_labels = 100;
};

// The series name of the streams beyond max_stream_labels, summed.
inline constexpr std::string_view kOtherStreams = "__other__";

std::string render(const ScrapeInput& input);

}  // namespace sluice::metrics
