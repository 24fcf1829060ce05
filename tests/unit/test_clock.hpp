#pragma once
// The instant the captured signing vectors were made at, for tests that
// freeze the clock.
#include <chrono>

#include "base/wall_time.hpp"

namespace sluice::test_clock {

inline std::chrono::system_clock::time_point new_year_2024() {
  return std::chrono::system_clock::time_point(std::chrono::seconds(1704067200));  // 2024-01-01Z
}

inline WallTime new_year_2024_wall() {
  return std::chrono::floor<std::chrono::milliseconds>(new_year_2024());
}

}  // namespace sluice::test_clock
