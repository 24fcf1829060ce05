#pragma once
// The start-up banner: where to push and play on this server, with the real
// bound ports, and which listeners other machines can reach. A person's
// first look at a running sluice; services turn it off (`--quiet`,
// `banner = false`).
#include <cstdint>
#include <string>

#include "config/config.hpp"

namespace sluice {

struct BoundPorts {
  uint16_t rtmp = 0;
  uint16_t http = 0;
  uint16_t api = 0;
};

std::string banner_text(const config::Config& config, const BoundPorts& ports);

}  // namespace sluice
