#pragma once
// A count of descriptors one use may hold open, shared by its holders on any
// thread. Sealed segment files (base/sealed_bytes.hpp) take from it, so they
// never eat into the descriptors the listeners' connection caps were sized
// for: past the budget, bytes stay in plain memory instead.
#include <atomic>
#include <cstddef>

namespace sluice {

class DescriptorBudget {
 public:
  explicit DescriptorBudget(size_t limit) : limit_(limit) {}

  // Takes one descriptor's worth; false when the budget is spent.
  bool try_take() {
    size_t now = in_use_.load(std::memory_order_relaxed);
    while (now < limit_) {
      if (in_use_.compare_exchange_weak(now, now + 1, std::memory_order_relaxed)) return true;
    }
    return false;
  }
  void give_back() { in_use_.fetch_sub(1, std::memory_order_relaxed); }

  size_t limit() const { return limit_; }
  size_t in_use() const { return in_use_.load(std::memory_order_relaxed); }

 private:
  const size_t limit_;
  std::atomic<size_t> in_use_{0};
};

}  // namespace sluice
