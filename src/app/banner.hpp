#pragma once
// The start-up banner: where to push and play on this server, with the real
// bound ports, and which listeners other machines can reach. A person's
// first look at a running sluice; services turn it off (`--quiet`,
// `banner = false`).
#include <cstdint>
#include <filesystem>
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

// The default vhost's push key, printed on the start that generated it, as
// the generated API key is: on stdout only, never the log (it signs every
// publish URL). `--quiet` does not hide it: it is the operator's one
// chance to see it without opening `file`.
std::string generated_push_key_text(const std::string& key, const std::filesystem::path& file);

// This machine's non-loopback interface addresses (IPv4 first), at most `limit`.
std::vector<std::string> machine_addresses(size_t limit = 4);

}  // namespace sluice
