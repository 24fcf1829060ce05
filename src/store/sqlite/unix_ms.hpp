#pragma once
// Times are stored as integer milliseconds since the Unix epoch (UTC): exact,
// ordered, indexable, and the resolution the API reports.
#include <chrono>
#include <cstdint>

#include "store/store.hpp"

namespace sluice::store::sqlite {

inline int64_t to_unix_ms(TimePoint time) {
  // floor, not truncation, so times before 1970 still round down.
  return std::chrono::floor<std::chrono::milliseconds>(time.time_since_epoch()).count();
}

inline TimePoint from_unix_ms(int64_t ms) {
  return TimePoint(std::chrono::milliseconds(ms));
}

}  // namespace sluice::store::sqlite
