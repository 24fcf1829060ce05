#include "cli/connection.hpp"

#include <cstdlib>

#include "api/key_store.hpp"
#include "cli/usage_error.hpp"

namespace sluice::cli {
namespace {

std::string env(const char* name) {
  const char* value = std::getenv(name);
  return value ? std::string(value) : std::string();
}

}  // namespace

void add_connection_flags(CLI::App* command, ConnectionFlags& flags) {
  command->add_option(
      "--endpoint", flags.endpoint,
      "management API, [http[s]://]HOST:PORT (default $SLUICE_ENDPOINT or http://127.0.0.1:1985)");
  command->add_option("--ak", flags.access_key,
                      "access key (default $VOLC_ACCESSKEY or the data dir's key file)");
  command->add_option("--sk", flags.secret_key,
                      "secret key (default $VOLC_SECRETKEY or the data dir's key file)");
  command->add_option("--region", flags.region, "signing region (default cn-north-1)");
  command->add_option("--ca-file", flags.ca_file,
                      "PEM file of CAs to trust for https (default: the system's store)");
  command
      ->add_option("--signed-headers", flags.signed_headers,
                   "what the signature covers: all (host too, as the Python SDK; default) or "
                   "date-body (as the Node.js SDK, for a proxy that rewrites Host)")
      ->check(CLI::IsMember({"all", "date-body"}));
  command->add_option(
      "--data-dir", flags.data_dir,
      "server data directory holding the generated api-key.toml (default ./sluice-data)");
  command->add_flag("--json", flags.json, "print the API's JSON instead of a table");
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
  auto file = api::generated_key_path(flags.data_dir);
  std::optional<config::ApiKey> key;
  try {
    key = api::read_key_file(file);
  } catch (const std::exception& e) {
    throw UsageError(e.what());
  }
  if (!key)
    throw UsageError(
        "no API key: pass --ak/--sk, set VOLC_ACCESSKEY/VOLC_SECRETKEY, or point --data-dir at the "
        "server's data directory (" +
        file.string() + " does not exist)");
  return {key->access_key, key->secret_key, file.string()};
}

Endpoint resolve_endpoint(const ConnectionFlags& flags) {
  std::string text = flags.endpoint;
  if (text.empty()) text = env("SLUICE_ENDPOINT");
  if (text.empty()) text = kDefaultEndpoint;
  return parse_endpoint(text);
}

Connection connect(const ConnectionFlags& flags) {
  Endpoint endpoint = resolve_endpoint(flags);
  Credentials keys = resolve_credentials(flags);
  Connection c{endpoint, LiveService(endpoint.host, keys.access_key, keys.secret_key)};
  c.service.set_scheme(endpoint.scheme);
  if (!flags.region.empty()) c.service.set_region(flags.region);
  if (!flags.ca_file.empty()) c.service.set_ca_file(flags.ca_file);
  c.service.set_signed_headers(flags.signed_headers == "date-body" ? SignedHeaders::kDateAndBody
                                                                   : SignedHeaders::kAll);
  return c;
}

}  // namespace sluice::cli
