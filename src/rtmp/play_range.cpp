#include "rtmp/play_range.hpp"

#include <cmath>

namespace sluice::rtmp {
namespace {

constexpr size_t kStartIndex = 4;
constexpr size_t kDurationIndex = 5;
// Far beyond any stream's life (~31 years), and exactly representable.
constexpr double kMaxMs = 1e12;

std::optional<double> number_at(const std::vector<amf0::Value>& cmd, size_t i) {
  if (i >= cmd.size() || !cmd[i].is_number()) return std::nullopt;
  const double v = cmd[i].as_number();
  if (!std::isfinite(v)) return std::nullopt;
  return v;
}

uint64_t whole_ms(double v) {
  return static_cast<uint64_t>(std::floor(std::min(v, kMaxMs)));
}

}  // namespace

PlayRange parse_play_range(const std::vector<amf0::Value>& cmd) {
  PlayRange range;
  if (auto start = number_at(cmd, kStartIndex)) {
    // Clients send -1000/-2000 (milliseconds) as often as -1/-2.
    if (*start >= 0) {
      range.start = PlayRange::Start::kOffset;
      range.start_offset_ms = whole_ms(*start);
    } else if (*start == -1 || *start == -1000) {
      range.start = PlayRange::Start::kLiveOnly;
    }
  }
  if (auto duration = number_at(cmd, kDurationIndex); duration && *duration >= 0) {
    range.duration_ms = whole_ms(*duration);
  }
  return range;
}

}  // namespace sluice::rtmp
