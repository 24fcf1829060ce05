#include "cli/connection.hpp"

#include <cstdlib>

#include "api/key_store.hpp"
#include "cli/server_config.hpp"
#include "cli/usage_error.hpp"

namespace sluice::cli {
namespace {

std::string env(const char* name) {
  const char* value = std::getenv(name);
  return value ? std::string(value) : std::string();
}

std::optional<config::Config> server_config(const ConnectionFlags& flags) {
  if (flags.config_file.empty()) return std::nullopt;
  return load_server_config(flags.config_file);
}

}  // namespace

void add_connection_flags(CLI::App* command, ConnectionFlags& flags) {
  command->add_option(
      "--endpoint", flags.endpoint,
      "management API, [http[s]://]HOST[:PORT] (default $SLUICE_ENDPOINT, --config's api.listen "
      "or http://127.0.0.1:1985; port 1985 for http, 443 for https)");
  command->add_option("--ak", flags.access_key,
                      "access key (default $VOLC_ACCESSKEY or the data dir's key file)");
  command->add_option("--sk", flags.secret_key,
                      "secret key (default $VOLC_SECRETKEY or the data dir's key file)");
  command->add_option("--region", flags.region,
                      "signing region (default --config's api.region or cn-north-1)");
  command->add_option("--ca-file", flags.ca_file,
                      "PEM file of CAs to trust for https (default: the system's store)");
  command
      ->add_option("--signed-headers", flags.signed_headers,
                   "what the signature covers: all (host too, as the Python SDK; default) or "
                   "date-body (as the Node.js SDK, for a proxy that rewrites Host)")
      ->check(CLI::IsMember({"all", "date-body"}));
  command->add_option("--data-dir", flags.data_dir,
                      "server data directory holding the generated api-key.toml (default "
                      "--config's data_dir or ./sluice-data)");
  command->add_option("--config", flags.config_file,
                      "the server's TOML config: endpoint (api.listen), keys ([[api.keys]] or "
                      "its data_dir's key file) and region, below flags and the environment");
  command->add_flag("--json", flags.json, "print JSON instead of a table (README: shapes)");
}

Credentials resolve_credentials(const ConnectionFlags& flags) {
  Credentials c;
  c.access_key = !flags.access_key.empty() ? flags.access_key : env("VOLC_ACCESSKEY");
  c.secret_key = !flags.secret_key.empty() ? flags.secret_key : env("VOLC_SECRETKEY");
  if (!c.access_key.empty() && !c.secret_key.empty()) {
    c.source = flags.access_key.empty() ? "VOLC_ACCESSKEY" : "--ak";
    return c;
  }
  if (!c.access_key.empty() || !c.secret_key.empty())
    throw UsageError(
        "give both an access key and a secret key (--ak/--sk or VOLC_ACCESSKEY/VOLC_SECRETKEY)");
  std::string data_dir = flags.data_dir;
  if (data_dir.empty()) {
    if (auto config = server_config(flags)) {
      if (!config->api.keys.empty())
        return {config->api.keys.front().access_key, config->api.keys.front().secret_key,
                flags.config_file + " [[api.keys]]"};
      data_dir = config->data_dir.string();
    } else {
      data_dir = kDefaultDataDir;
    }
  }
  auto file = api::generated_key_path(data_dir);
  std::optional<config::ApiKey> key;
  try {
    key = api::read_key_file(file);
  } catch (const std::exception& e) {
    throw UsageError(e.what());
  }
  if (!key)
    throw UsageError(
        "no API key: pass --ak/--sk, set VOLC_ACCESSKEY/VOLC_SECRETKEY, or point --config at the "
        "server's config or --data-dir at its data directory (" +
        file.string() + " does not exist)");
  return {key->access_key, key->secret_key, file.string()};
}

Endpoint resolve_endpoint(const ConnectionFlags& flags) {
  std::string text = flags.endpoint;
  if (text.empty()) text = env("SLUICE_ENDPOINT");
  if (!text.empty()) return parse_endpoint(text);
  if (auto config = server_config(flags)) return api_endpoint_of(*config);
  return parse_endpoint(kDefaultEndpoint);
}

std::string resolve_region(const ConnectionFlags& flags) {
  if (!flags.region.empty()) return flags.region;
  if (auto config = server_config(flags)) return config->api.region;
  return {};
}

Connection connect(const ConnectionFlags& flags) {
  Endpoint endpoint = resolve_endpoint(flags);
  Credentials keys = resolve_credentials(flags);
  Connection c{endpoint, LiveService(endpoint.host, keys.access_key, keys.secret_key)};
  c.service.set_scheme(endpoint.scheme);
  if (auto region = resolve_region(flags); !region.empty()) c.service.set_region(region);
  if (!flags.ca_file.empty()) c.service.set_ca_file(flags.ca_file);
  c.service.set_signed_headers(flags.signed_headers == "date-body" ? SignedHeaders::kDateAndBody
                                                                   : SignedHeaders::kAll);
  return c;
}

}  // namespace sluice::cli
