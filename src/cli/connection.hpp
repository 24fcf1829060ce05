#pragma once
// The flags every management command shares (endpoint, keys, region,
// --config, --json) and the LiveService they make.
//
// Precedence, for each of endpoint, keys and region: flags, then the
// environment (SLUICE_ENDPOINT, VOLC_ACCESSKEY/VOLC_SECRETKEY), then the
// server's own config file (--config: api.listen, [[api.keys]] or the key
// file in its data_dir, api.region), then the defaults (127.0.0.1:1985,
// ./sluice-data/api-key.toml, cn-north-1).
#include <CLI/CLI.hpp>
#include <string>

#include "cli/endpoint.hpp"
#include "sluice/live_service.hpp"

namespace sluice::cli {

struct ConnectionFlags {
  std::string endpoint;  // --endpoint, else SLUICE_ENDPOINT, else --config, else kDefaultEndpoint
  std::string access_key;
  std::string secret_key;
  std::string region;
  std::string ca_file;                 // PEM CAs for https in place of the system's store
  std::string signed_headers = "all";  // "all" | "date-body"
  std::string data_dir;                // empty: --config's data_dir, else kDefaultDataDir
  std::string config_file;             // the server's TOML config
  bool json = false;
};

inline constexpr const char* kDefaultDataDir = "./sluice-data";

void add_connection_flags(CLI::App* command, ConnectionFlags& flags);

struct Credentials {
  std::string access_key;
  std::string secret_key;
  std::string source;  // where they came from, for messages (never the secret)
};

// --ak/--sk, else VOLC_ACCESSKEY/VOLC_SECRETKEY, else the key file of
// --data-dir, else --config's first [[api.keys]] or the key file of its
// data_dir, else ./sluice-data/api-key.toml. Throws UsageError when there
// are none (or only half a pair), or the config file is unreadable or bad.
Credentials resolve_credentials(const ConnectionFlags& flags);
// --endpoint, else SLUICE_ENDPOINT, else --config's api.listen (http; a
// wildcard address becomes loopback), else kDefaultEndpoint.
Endpoint resolve_endpoint(const ConnectionFlags& flags);
// --region, else --config's api.region, else empty (the SDK's default).
std::string resolve_region(const ConnectionFlags& flags);

struct Connection {
  Endpoint endpoint;
  LiveService service;
};
Connection connect(const ConnectionFlags& flags);

}  // namespace sluice::cli
