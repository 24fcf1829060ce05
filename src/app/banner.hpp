#pragma once
// The start-up banner: where to push and play on this server, with the real
// bound ports, and which listeners other machines can reach. A person's
// first look at a running sluice; services turn it off (`--quiet`,
// `banner = false`).
#include <cstdint>
#include <string>
#include <vector>

#include "config/config.hpp"

namespace sluice {

struct BoundPorts {
  uint16_t rtmp = 0;
  uint16_t http = 0;
  uint16_t api = 0;
};

// `machine_addresses`: this machine's non-loopback addresses, named when a
// listener is bound to every interface.
std::string banner_text(const config::Config& config, const BoundPorts& ports,
                        const std::vector<std::string>& machine_addresses = {});

// This machine's non-loopback interface addresses (IPv4 first), at most `limit`.
std::vector<std::string> machine_addresses(size_t limit = 4);

}  // namespace sluice
