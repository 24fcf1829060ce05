#include "metrics/histogram.hpp"

#include <algorithm>

namespace sluice::metrics {

Histogram::Histogram(std::vector<double> bounds)
    : bounds_(std::move(bounds)), counts_(bounds_.size(), 0) {}

void Histogram::observe(double value) {
  const auto at = std::lower_bound(bounds_.begin(), bounds_.end(), value);
  if (at != bounds_.end()) ++counts_[static_cast<size_t>(at - bounds_.begin())];
  sum_ += value;
  ++count_;
}

void Histogram::write(Exposition& out, const std::string& name, const Labels& labels) const {
  const std::string bucket = name + "_bucket";
  uint64_t cumulative = 0;
  for (size_t i = 0; i <= bounds_.size(); ++i) {
    std::string le;
    if (i < bounds_.size()) {
      cumulative += counts_[i];
      le = format_value(bounds_[i]);
    } else {
      cumulative = count_;
      le = "+Inf";
    }
    Labels with_le = labels;
    with_le.emplace_back("le", le);
    out.sample(bucket, with_le, cumulative);
  }
  out.sample(name + "_sum", labels, sum_);
  out.sample(name + "_count", labels, count_);
}

}  // namespace sluice::metrics
