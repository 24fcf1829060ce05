#include "metrics/api_metrics.hpp"

namespace sluice::metrics {
namespace {

// Seconds: an answer from memory takes well under a millisecond; a listing
// that waits for a slow store can take seconds.
std::vector<double> latency_bounds() {
  return {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};
}

}  // namespace

void ApiMetrics::record(std::string_view action, std::string_view code,
                        std::chrono::duration<double> took) {
  std::pair<std::string, std::string> key{std::string(action), code.empty() ? "ok" : code};
  if (!requests_.contains(key) && requests_.size() >= kMaxSeries) key.second = "other";
  ++requests_[key];
  auto at = latency_.find(action);
  if (at == latency_.end()) at = latency_.emplace(std::string(action), latency_bounds()).first;
  at->second.observe(took.count());
}

void ApiMetrics::write(Exposition& out) const {
  out.family("sluice_api_requests_total", "counter",
             "Management API requests answered, by action and error code (ok: success).");
  for (const auto& [key, count] : requests_)
    out.sample("sluice_api_requests_total", {{"action", key.first}, {"code", key.second}}, count);
  out.family("sluice_api_request_duration_seconds", "histogram",
             "Time from a parsed API request to its answer, by action.");
  for (const auto& [action, histogram] : latency_)
    histogram.write(out, "sluice_api_request_duration_seconds", {{"action", action}});
}

}  // namespace sluice::metrics
