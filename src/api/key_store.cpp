#include "api/key_store.hpp"

#include <openssl/crypto.h>

#include <toml++/toml.h>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "base/secret_file.hpp"

namespace sluice::api {

const std::string* KeyStore::secret_for(const std::string& access_key) const {
  for (const auto& k : keys_) {
    if (k.access_key.size() == access_key.size() &&
        CRYPTO_memcmp(k.access_key.data(), access_key.data(), access_key.size()) == 0) {
      return &k.secret_key;
    }
  }
  return nullptr;
}

std::filesystem::path generated_key_path(const std::filesystem::path& data_dir) {
  return data_dir / "api-key.toml";
}

std::optional<config::ApiKey> read_key_file(const std::filesystem::path& file) {
  if (!std::filesystem::exists(file)) return std::nullopt;
  try {
    auto table = toml::parse_file(file.string());
    config::ApiKey key{table["access_key"].value_or(std::string()),
                       table["secret_key"].value_or(std::string())};
    if (key.access_key.empty() || key.secret_key.empty())
      throw std::runtime_error("missing access_key or secret_key");
    return key;
  } catch (const std::exception& e) {
    throw std::runtime_error("bad key file " + file.string() + ": " + e.what());
  }
}

LoadedKeys load_or_generate_keys(const config::Config& config) {
  if (!config.api.keys.empty()) return {KeyStore(config.api.keys), false, {}};
  auto file = generated_key_path(config.data_dir);
  if (auto key = read_key_file(file)) return {KeyStore({*key}), false, file};

  config::ApiKey key{"AKLT" + random_alphanumeric(28), random_alphanumeric(40)};
  std::ostringstream text;
  text << "# sluice management API key, generated on first start. Keep it secret.\n"
       << "access_key = \"" << key.access_key << "\"\n"
       << "secret_key = \"" << key.secret_key << "\"\n";
  std::filesystem::create_directories(config.data_dir);
  write_private_file(file, text.str());
  return {KeyStore({key}), true, file};
}

}  // namespace sluice::api
