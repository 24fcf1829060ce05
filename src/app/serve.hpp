#pragma once
#include "config/config.hpp"

namespace sluice {

// `sluice serve`: runs the media servers until SIGINT/SIGTERM; returns the exit code.
int serve(const config::Config& config);

}  // namespace sluice
