#pragma once
// `--config FILE`: the server's own TOML config, read for what a client of
// its API needs (where it listens, its keys, its signing region), so that
// on the server's machine `sluice state --config /etc/sluice.toml live/x`
// needs nothing else.
#include <optional>
#include <string>

#include "cli/endpoint.hpp"
#include "config/config.hpp"

namespace sluice::cli {

// Throws UsageError (naming the file and the bad key) when the file is
// unreadable or not a valid sluice config.
config::Config load_server_config(const std::string& file);

// api.listen as the client reaches it: http, a wildcard address (0.0.0.0,
// ::) replaced by the loopback address of its family.
Endpoint api_endpoint_of(const config::Config& config);

}  // namespace sluice::cli
