#pragma once
// The flags every management command shares (endpoint, keys, region,
// --json) and the LiveService they make.
#include <CLI/CLI.hpp>
#include <string>

#include "cli/endpoint.hpp"
#include "sluice/live_service.hpp"

namespace sluice::cli {

struct ConnectionFlags {
  std::string endpoint;  // --endpoint, else SLUICE_ENDPOINT, else kDefaultEndpoint
  std::string access_key;
  std::string secret_key;
  std::string region;
  std::string ca_file;                 // PEM CAs for https in place of the system's store
  std::string signed_headers = "all";  // "all" | "date-body"
  std::string data_dir = "./sluice-data";
  bool json = false;
};

void add_connection_flags(CLI::App* command, ConnectionFlags& flags);

struct Credentials {
  std::string access_key;
  std::string secret_key;
  std::string source;  // where they came from, for messages (never the secret)
};

// --ak/--sk, else VOLC_ACCESSKEY/VOLC_SECRETKEY, else <data_dir>/api-key.toml.
// Throws UsageError when there are none (or only half a pair).
Credentials resolve_credentials(const ConnectionFlags& flags);
Endpoint resolve_endpoint(const ConnectionFlags& flags);

struct Connection {
  Endpoint endpoint;
  LiveService service;
};
Connection connect(const ConnectionFlags& flags);

}  // namespace sluice::cli
