#include "metrics/timed_store.hpp"

#include <chrono>

namespace sluice::metrics {

void TimedStore::around(std::string_view operation, const std::function<void()>& call) {
  const auto start = std::chrono::steady_clock::now();
  try {
    call();
  } catch (...) {
    // A call that fails is timed too.
    metrics_.record(operation, std::chrono::steady_clock::now() - start);
    throw;
  }
  metrics_.record(operation, std::chrono::steady_clock::now() - start);
}

}  // namespace sluice::metrics
