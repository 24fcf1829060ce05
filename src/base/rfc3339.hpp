#pragma once
// RFC 3339 timestamps as the management API uses them: parse any offset
// ("2024-03-01T08:00:00+08:00", fractional seconds optional), answer in UTC.
#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace sluice {

using SystemTime = std::chrono::system_clock::time_point;

std::optional<SystemTime> parse_rfc3339(std::string_view text);
// "2024-01-01T00:00:00.000Z"
std::string format_rfc3339_ms(SystemTime t);
// "2024-01-01T00:00:00Z"
std::string format_rfc3339_s(SystemTime t);

// Milliseconds since the Unix epoch and back (storage).
inline int64_t to_unix_ms(SystemTime t) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
}
inline SystemTime from_unix_ms(int64_t ms) {
  return SystemTime(std::chrono::milliseconds(ms));
}

}  // namespace sluice
