#include "hooks/retry_schedule.hpp"

#include <algorithm>

namespace sluice::hooks {

std::optional<WallTime> next_attempt(const RetrySchedule& schedule, WallTime created,
                                     uint32_t attempts, WallTime now) {
  const WallTime deadline = created + schedule.give_up_after;
  if (now >= deadline) return std::nullopt;
  std::chrono::milliseconds wait = schedule.quick_interval;
  if (attempts > schedule.quick_retries) {
    wait = schedule.first_backoff;
    // Doubling stops at the cap; the loop is bounded by it, not by attempts.
    for (uint32_t i = schedule.quick_retries + 1; i < attempts && wait < schedule.max_backoff; ++i)
      wait *= 2;
    wait = std::min(wait, schedule.max_backoff);
  }
  return std::min(now + wait, deadline);
}

}  // namespace sluice::hooks
