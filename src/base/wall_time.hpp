#pragma once
// One type for wall-clock times: the server's "now" and every time that comes
// from outside (API parameters, X-Date, rows of the store). A count of
// milliseconds since the Unix epoch (UTC), because
// std::chrono::system_clock::time_point counts nanoseconds in libstdc++ and
// overflows in 2262: "9999-12-31T23:59:59Z" must stay 9999, not wrap into the
// past. 64 bits of milliseconds span ±292 million years, so any time in the
// RFC 3339 range plus or minus any duration the API deals in is exact.
// Milliseconds are also the finest resolution the API answers in.
#include <chrono>
#include <cstdint>

namespace sluice {

using WallTime = std::chrono::sys_time<std::chrono::milliseconds>;

// The range an RFC 3339 timestamp can write (four-digit years), in UTC.
// Parsers refuse times outside it, so every WallTime that came from outside
// formats back to the text it came from.
inline constexpr WallTime kWallTimeMin{
    std::chrono::sys_days{std::chrono::year{1} / std::chrono::January / 1}};
inline constexpr WallTime kWallTimeMax{
    std::chrono::sys_days{std::chrono::year{9999} / std::chrono::December / 31} +
    std::chrono::days{1} - std::chrono::milliseconds{1}};

inline bool in_wall_time_range(WallTime t) {
  return t >= kWallTimeMin && t <= kWallTimeMax;
}

inline WallTime wall_now() {
  return std::chrono::floor<std::chrono::milliseconds>(std::chrono::system_clock::now());
}

// Milliseconds since the Unix epoch and back (storage).
inline int64_t to_unix_ms(WallTime t) {
  return t.time_since_epoch().count();
}
inline WallTime from_unix_ms(int64_t ms) {
  return WallTime(std::chrono::milliseconds(ms));
}

}  // namespace sluice
