#pragma once
// What the kernel says about this process (/proc/self), for the process_*
// metrics. Linux only; a field that cannot be read is left at zero.
#include <cstdint>
#include <string_view>

namespace sluice::metrics {

struct ProcessStats {
  double cpu_seconds = 0;         // user + system
  uint64_t resident_bytes = 0;    // RSS
  uint64_t open_fds = 0;          // descriptors open now
  double start_time_seconds = 0;  // since the Unix epoch
};

ProcessStats read_process_stats();

// The parts of /proc/self/stat read above, from its text (tests). Fields
// counted after the command name, which may hold spaces and parentheses.
struct StatFields {
  uint64_t utime_ticks = 0, stime_ticks = 0, start_ticks = 0;  // start: since boot
  bool ok = false;
};
StatFields parse_stat(std::string_view text);

}  // namespace sluice::metrics
