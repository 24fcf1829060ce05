#pragma once
// The access keys the API accepts: [[api.keys]] from the config, or, when
// none is configured, one pair generated on first start into
// <data_dir>/api-key.toml (mode 0600) and reused afterwards. The `sluice`
// CLI reads that file when it runs on the same machine.
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "config/config.hpp"

namespace sluice::api {

class KeyStore {
 public:
  explicit KeyStore(std::vector<config::ApiKey> keys) : keys_(std::move(keys)) {}

  // The secret for an access key, if it is known.
  const std::string* secret_for(const std::string& access_key) const;
  const std::vector<config::ApiKey>& keys() const { return keys_; }

 private:
  std::vector<config::ApiKey> keys_;
};

// Where the generated key lives.
std::filesystem::path generated_key_path(const std::filesystem::path& data_dir);
// Reads a generated key file; nullopt when absent. Throws on a malformed file.
std::optional<config::ApiKey> read_key_file(const std::filesystem::path& file);

struct LoadedKeys {
  KeyStore store;
  bool generated_now = false;  // a new pair was written this start
  std::filesystem::path file;  // the generated key's file, if one is used
};

// Config keys if any; else the generated key file, creating it if needed.
LoadedKeys load_or_generate_keys(const config::Config& config);

}  // namespace sluice::api
