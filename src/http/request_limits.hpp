#pragma once
#include <cstddef>

namespace sluice::http {

// A request line and its headers stay below this on every HTTP listener.
inline constexpr size_t kRequestHeaderLimit = 16 * 1024;

}  // namespace sluice::http
