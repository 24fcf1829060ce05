#pragma once
// When a callback that failed is tried again: Volcengine's schedule
// (README, "Callbacks"), so a receiver written for it sees the same rhythm.
// Three quick retries 3 s apart (a receiver restarting), then doubling
// waits from 6 s up to a cap, until 10 minutes after the event was queued;
// then it is given up.
#include <chrono>
#include <cstdint>
#include <optional>

#include "base/wall_time.hpp"

namespace sluice::hooks {

struct RetrySchedule {
  std::chrono::milliseconds quick_interval{3000};
  uint32_t quick_retries = 3;
  std::chrono::milliseconds first_backoff{6000};
  std::chrono::milliseconds max_backoff{60000};
  std::chrono::milliseconds give_up_after{600000};  // counted from the message's creation
};

// After `attempts` tries (>= 1) have failed, the last one ending at `now`:
// when to try next, or nullopt to give up. The last retry is moved up to the
// deadline rather than skipped, so every message gets a try at its end.
std::optional<WallTime> next_attempt(const RetrySchedule& schedule, WallTime created,
                                     uint32_t attempts, WallTime now);

}  // namespace sluice::hooks
