#pragma once
// The process's descriptor limit (RLIMIT_NOFILE). Every connection is a
// descriptor, and the soft limit is often 1024 while the hard one is far
// higher, so sluice raises the soft limit to the hard one at start.
#include <cstddef>
#include <cstdint>

namespace sluice {

struct OpenFilesLimit {
  uint64_t soft_before = 0;
  uint64_t soft = 0;  // after raising
  uint64_t hard = 0;
  bool raise_failed = false;
};

// Raises the soft limit to the hard limit (capped to what a descriptor
// number can hold); never lowers it.
OpenFilesLimit raise_open_files_limit();

// Descriptors open in this process now (from /proc/self/fd; 0 if unknown).
size_t open_descriptor_count();

}  // namespace sluice

namespace sluice {

// Descriptors kept free beyond the ones open at start and the API's: the
// listeners, the store's journal, a refused connection before it is closed.
inline constexpr size_t kDescriptorHeadroom = 32;

// How many media connections fit under `soft_limit` when `open_now`
// descriptors are in use and `api_connections` are set aside for the API;
// never more than `wanted`, 0 when nothing fits.
size_t media_connections_that_fit(uint64_t soft_limit, size_t open_now, size_t api_connections,
                                  size_t wanted);

}  // namespace sluice
