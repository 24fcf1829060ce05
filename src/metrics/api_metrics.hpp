#pragma once
// API requests by action and error code, and their latency, kept on the
// control executor where the API answers (and where the scrape runs).
#include <chrono>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <utility>

#include "metrics/exposition.hpp"
#include "metrics/histogram.hpp"

namespace sluice::metrics {

class ApiMetrics {
 public:
  // `action` must be a known action name or "unknown" (never the client's
  // text); `code` empty on success. Past kMaxSeries distinct pairs, new
  // codes are counted as "other" so a scrape stays bounded.
  void record(std::string_view action, std::string_view code, std::chrono::duration<double> took);
  void write(Exposition& out) const;

  static constexpr size_t kMaxSeries = 500;

 private:
  std::map<std::pair<std::string, std::string>, uint64_t> requests_;
  std::map<std::string, Histogram, std::less<>> latency_;
};

}  // namespace sluice::metrics
