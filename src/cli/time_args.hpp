#pragma once
// Times on the command line: RFC 3339 instants and durations ("90s", "30m",
// "2h", "7d", or combined: "1h30m").
#include <chrono>
#include <string>

#include "base/wall_time.hpp"

namespace sluice::cli {

// Throws UsageError unless `text` is a positive duration.
std::chrono::seconds parse_duration(const std::string& text, const std::string& flag);
// An RFC 3339 time, or a duration meaning "that long ago"; returned as
// RFC 3339 UTC seconds. Throws UsageError.
std::string parse_time_or_ago(const std::string& text, const std::string& flag, WallTime now);
// An RFC 3339 time normalised to UTC seconds. Throws UsageError.
std::string parse_time(const std::string& text, const std::string& flag);

}  // namespace sluice::cli
