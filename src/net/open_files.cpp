#include "net/open_files.hpp"

#include <sys/resource.h>

#include <filesystem>
#include <limits>
#include <system_error>

namespace sluice {

OpenFilesLimit raise_open_files_limit() {
  OpenFilesLimit result;
  rlimit limit{};
  if (getrlimit(RLIMIT_NOFILE, &limit) != 0) {
    result.raise_failed = true;
    return result;
  }
  // RLIM_INFINITY is not a descriptor count; an int is what poll and
  // friends can address.
  const uint64_t ceiling = std::numeric_limits<int>::max();
  const auto clamp = [&](rlim_t v) {
    return v == RLIM_INFINITY ? ceiling : std::min<uint64_t>(v, ceiling);
  };
  result.soft_before = clamp(limit.rlim_cur);
  result.hard = clamp(limit.rlim_max);
  result.soft = result.soft_before;
  if (result.hard > result.soft_before) {
    rlimit raised = limit;
    raised.rlim_cur =
        limit.rlim_max == RLIM_INFINITY ? static_cast<rlim_t>(ceiling) : limit.rlim_max;
    if (setrlimit(RLIMIT_NOFILE, &raised) == 0) {
      result.soft = clamp(raised.rlim_cur);
    } else {
      result.raise_failed = true;
    }
  }
  return result;
}

size_t open_descriptor_count() {
  std::error_code ec;
  size_t count = 0;
  for (std::filesystem::directory_iterator it("/proc/self/fd", ec), end; !ec && it != end;
       it.increment(ec)) {
    ++count;
  }
  // The iterator's own descriptor was counted too.
  return count > 0 ? count - 1 : 0;
}

}  // namespace sluice

namespace sluice {

size_t media_connections_that_fit(uint64_t soft_limit, size_t open_now, size_t api_connections,
                                  size_t wanted) {
  const uint64_t reserved = uint64_t{open_now} + kDescriptorHeadroom + api_connections;
  if (soft_limit <= reserved) return 0;
  return static_cast<size_t>(std::min<uint64_t>(soft_limit - reserved, wanted));
}

}  // namespace sluice
