#pragma once
// A live playlist's EXT-X-TARGETDURATION (RFC 8216 4.3.3.1): whole seconds,
// never below the configured target, at least every segment's duration
// rounded to the nearest second, and never lowered once announced.
#include <algorithm>
#include <chrono>
#include <cstdint>

namespace sluice::hls {

class TargetDuration {
 public:
  explicit TargetDuration(std::chrono::milliseconds configured)
      : seconds_(std::max<uint64_t>(1, static_cast<uint64_t>((configured.count() + 999) / 1000))) {}

  // A segment of `duration` was completed.
  void note_segment(std::chrono::milliseconds duration) {
    seconds_ = std::max(seconds_, static_cast<uint64_t>((duration.count() + 500) / 1000));
  }
  uint64_t seconds() const { return seconds_; }

 private:
  uint64_t seconds_;
};

}  // namespace sluice::hls
