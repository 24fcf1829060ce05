#pragma once
// How long each kind of store call takes (sluice_store_query_seconds), kept
// on the control executor, where the store is called and the scrape runs.
#include <chrono>
#include <map>
#include <string>
#include <string_view>

#include "metrics/exposition.hpp"
#include "metrics/histogram.hpp"

namespace sluice::metrics {

class StoreMetrics {
 public:
  // `operation`: a Store method's name (a fixed set, never client text).
  void record(std::string_view operation, std::chrono::duration<double> took);
  void write(Exposition& out) const;

 private:
  std::map<std::string, Histogram, std::less<>> latency_;
};

}  // namespace sluice::metrics
