#include "metrics/store_metrics.hpp"

namespace sluice::metrics {
namespace {

// Seconds: SQLite answers a keyed read in microseconds; a durable write
// waits for fsync (milliseconds); a big history page, or a loaded disk,
// can take seconds.
std::vector<double> latency_bounds() {
  return {0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
          0.05,   0.1,     0.25,   0.5,   1,      2.5,   5};
}

}  // namespace

void StoreMetrics::record(std::string_view operation, std::chrono::duration<double> took) {
  auto at = latency_.find(operation);
  if (at == latency_.end()) at = latency_.emplace(std::string(operation), latency_bounds()).first;
  at->second.observe(took.count());
}

void StoreMetrics::write(Exposition& out) const {
  out.family("sluice_store_query_seconds", "histogram",
             "Time a store call took (failed calls included), by operation.");
  for (const auto& [operation, histogram] : latency_)
    histogram.write(out, "sluice_store_query_seconds", {{"operation", operation}});
}

}  // namespace sluice::metrics
