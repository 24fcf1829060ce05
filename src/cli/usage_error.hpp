#pragma once
// A mistake in the command line that CLI11 cannot see (stream address,
// duration, endpoint, missing keys): exit status 2, like CLI11's own.
#include <stdexcept>
#include <string>

namespace sluice::cli {

class UsageError : public std::runtime_error {
 public:
  explicit UsageError(const std::string& message) : std::runtime_error(message) {}
};

}  // namespace sluice::cli
