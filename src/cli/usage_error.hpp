#pragma once
// A mistake in the command line that CLI11 cannot see (stream address,
// duration, endpoint, missing keys): exit status 2, like CLI11's own.
#include <cstddef>
#include <stdexcept>
#include <string>

namespace sluice::cli {

// Arguments are echoed in messages through printable() (escaped), cut at
// this length rather than printable()'s log-line default.
inline constexpr size_t kShownArgumentMax = 1024;

class UsageError : public std::runtime_error {
 public:
  explicit UsageError(const std::string& message) : std::runtime_error(message) {}
};

}  // namespace sluice::cli
