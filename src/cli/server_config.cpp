#include "cli/server_config.hpp"

#include "base/untrusted_text.hpp"
#include "cli/usage_error.hpp"

namespace sluice::cli {

config::Config load_server_config(const std::string& file) {
  try {
    return config::load_file(file);
  } catch (const std::exception& e) {
    throw UsageError("--config: " + printable(e.what(), kShownArgumentMax));
  }
}

Endpoint api_endpoint_of(const config::Config& config) {
  if (config.api.listen.port == 0)
    throw UsageError(
        "--config: api.listen has port 0 (the server picks one at start): pass --endpoint");
  std::string host = config.api.listen.host;
  if (host == "0.0.0.0" || host.empty()) host = "127.0.0.1";
  if (host == "::" || host == "[::]") host = "::1";
  if (host.find(':') != std::string::npos && host.front() != '[') host = "[" + host + "]";
  return {"http", host + ":" + std::to_string(config.api.listen.port)};
}

}  // namespace sluice::cli
