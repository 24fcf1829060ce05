#pragma once
// A store that times every call of the one it wraps into StoreMetrics
// (sluice_store_query_seconds{operation}). `sluice serve` wraps its store in
// one, so every caller (the control service, the callback worker) is timed
// without timing code of its own. Control executor only, like the store.
#include <memory>

#include "metrics/store_metrics.hpp"
#include "store/forwarding_store.hpp"

namespace sluice::metrics {

class TimedStore : public store::ForwardingStore {
 public:
  // `metrics` must outlive the store.
  TimedStore(std::unique_ptr<store::Store> inner, StoreMetrics& metrics)
      : ForwardingStore(std::move(inner)), metrics_(metrics) {}

 protected:
  void around(std::string_view operation, const std::function<void()>& call) override;

 private:
  StoreMetrics& metrics_;
};

}  // namespace sluice::metrics
