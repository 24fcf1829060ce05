#pragma once
// Text forms of a WallTime, all in one place: RFC 3339 as the management API
// uses it (parse any offset, "2024-03-01T08:00:00+08:00", fractional seconds
// optional; answer in UTC) and the basic ISO 8601 form of the signature's
// X-Date header ("20240101T000000Z").
//
// Parsers accept years 0001-9999 only (in UTC, after the offset is applied),
// so whatever they return formats back in the same four-digit form.
// A leap second ("…T23:59:60Z", which RFC 3339 allows) is accepted where one
// can occur, at 23:59 UTC on the last day of a month, and read as
// 23:59:59.999 of that day: Unix time has no 61st second, and this keeps the
// time in its own day and minute (the X-Date's date is the signature's scope
// date) and ordered after every earlier instant of that second. A second 60
// anywhere else is refused.
#include <optional>
#include <string>
#include <string_view>

#include "base/wall_time.hpp"

namespace sluice {

std::optional<WallTime> parse_rfc3339(std::string_view text);
// "2024-01-01T00:00:00.000Z"
std::string format_rfc3339_ms(WallTime t);
// "2024-01-01T00:00:00Z"
std::string format_rfc3339_s(WallTime t);

// "20240101T000000Z" (the X-Date header) → time; nullopt when malformed or
// outside 0001-9999.
std::optional<WallTime> parse_x_date(std::string_view text);
// Time → "20240101T000000Z".
std::string format_x_date(WallTime t);

}  // namespace sluice
