#pragma once
// A Prometheus histogram: counts of observations at or below each bound
// (cumulative, as the format wants), their sum and their count.
#include <cstdint>
#include <string>
#include <vector>

#include "metrics/exposition.hpp"

namespace sluice::metrics {

class Histogram {
 public:
  // `bounds` ascending; the +Inf bucket is implied.
  explicit Histogram(std::vector<double> bounds);

  void observe(double value);
  // <name>_bucket{...,le="..."}, <name>_sum, <name>_count; the family line is the caller's.
  void write(Exposition& out, const std::string& name, const Labels& labels) const;

  uint64_t count() const { return count_; }

 private:
  std::vector<double> bounds_;
  std::vector<uint64_t> counts_;  // per bound, not cumulative
  double sum_ = 0;
  uint64_t count_ = 0;
};

}  // namespace sluice::metrics
