#include "metrics/process_stats.hpp"

#include <unistd.h>

#include <charconv>
#include <fstream>
#include <iterator>
#include <sstream>
#include <string>
#include <vector>

#include "net/open_files.hpp"

namespace sluice::metrics {
namespace {

std::string read_all(const char* path) {
  std::ifstream in(path);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

uint64_t to_u64(std::string_view text) {
  uint64_t value = 0;
  std::from_chars(text.data(), text.data() + text.size(), value);
  return value;
}

// The boot time (seconds since the epoch), the `btime` line of /proc/stat.
uint64_t boot_time() {
  std::istringstream in(read_all("/proc/stat"));
  std::string word;
  while (in >> word) {
    if (word == "btime") {
      uint64_t value = 0;
      in >> value;
      return value;
    }
  }
  return 0;
}

}  // namespace

StatFields parse_stat(std::string_view text) {
  StatFields fields;
  // "pid (comm) state ppid ...": the command name may hold ") ", so the
  // fields start after the last ')'.
  const auto close = text.rfind(')');
  if (close == std::string_view::npos) return fields;
  std::vector<std::string_view> words;
  std::string_view rest = text.substr(close + 1);
  while (!rest.empty()) {
    const auto start = rest.find_first_not_of(" \n");
    if (start == std::string_view::npos) break;
    rest.remove_prefix(start);
    const auto end = rest.find_first_of(" \n");
    words.push_back(rest.substr(0, end));
    if (end == std::string_view::npos) break;
    rest.remove_prefix(end);
  }
  // proc(5) numbers fields from 1 (pid); words[0] is field 3 (state).
  constexpr size_t kUtime = 14 - 3, kStime = 15 - 3, kStart = 22 - 3;
  if (words.size() <= kStart) return fields;
  fields.utime_ticks = to_u64(words[kUtime]);
  fields.stime_ticks = to_u64(words[kStime]);
  fields.start_ticks = to_u64(words[kStart]);
  fields.ok = true;
  return fields;
}

ProcessStats read_process_stats() {
  ProcessStats stats;
  const double ticks = static_cast<double>(sysconf(_SC_CLK_TCK));
  if (const auto stat = parse_stat(read_all("/proc/self/stat")); stat.ok && ticks > 0) {
    stats.cpu_seconds = static_cast<double>(stat.utime_ticks + stat.stime_ticks) / ticks;
    stats.start_time_seconds =
        static_cast<double>(boot_time()) + static_cast<double>(stat.start_ticks) / ticks;
  }
  // statm: size resident shared ... in pages.
  std::istringstream statm(read_all("/proc/self/statm"));
  uint64_t size_pages = 0, resident_pages = 0;
  if (statm >> size_pages >> resident_pages)
    stats.resident_bytes = resident_pages * static_cast<uint64_t>(sysconf(_SC_PAGESIZE));
  stats.open_fds = open_descriptor_count();
  return stats;
}

}  // namespace sluice::metrics
