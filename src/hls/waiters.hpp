#pragma once
// Requests waiting for a segmenter's next segment or part (a first playlist,
// a blocking reload): each callback is called once, at the next wake().
#include <functional>
#include <utility>
#include <vector>

namespace sluice::hls {

class Waiters {
 public:
  void add(std::function<void()> callback) { callbacks_.push_back(std::move(callback)); }
  void wake() {
    // A waiter may register again from its callback: take the list first.
    auto waiting = std::move(callbacks_);
    callbacks_.clear();
    for (auto& w : waiting) w();
  }

 private:
  std::vector<std::function<void()>> callbacks_;
};

}  // namespace sluice::hls
