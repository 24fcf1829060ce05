#include "manage/push_key_file.hpp"

#include <toml++/toml.h>
#include <algorithm>
#include <stdexcept>

#include "base/secret_file.hpp"

namespace sluice::manage {
namespace {

bool config_has_default_push_key(const config::Config& config) {
  return std::any_of(config.vhosts.begin(), config.vhosts.end(), [&](const auto& v) {
    return v.name == config.default_vhost && (!v.push_key.empty() || !v.push_key_secondary.empty());
  });
}

}  // namespace

std::filesystem::path push_key_path(const std::filesystem::path& data_dir) {
  return data_dir / "push-key.toml";
}

std::optional<std::string> read_push_key_file(const std::filesystem::path& file) {
  std::error_code ec;
  if (!std::filesystem::exists(file, ec)) return std::nullopt;
  try {
    auto table = toml::parse_file(file.string());
    auto key = table["push_key"].value_or(std::string());
    if (key.empty()) throw std::runtime_error("no push_key");
    return key;
  } catch (const std::exception& e) {
    throw std::runtime_error("bad push key file " + file.string() + ": " + e.what());
  }
}

std::optional<DefaultPushKey> load_or_generate_push_key(const config::Config& config) {
  if (config_has_default_push_key(config)) return std::nullopt;
  const auto file = push_key_path(config.data_dir);
  if (auto key = read_push_key_file(file)) return DefaultPushKey{*key, file, false};
  DefaultPushKey generated{random_alphanumeric(32), file, true};
  std::filesystem::create_directories(config.data_dir);
  write_private_file(file,
                     "# sluice push key of the default vhost, generated on first start. Keep it\n"
                     "# secret; `sluice push-url` signs with it. A [[vhost]] push_key for the\n"
                     "# default vhost in the config replaces it.\n"
                     "push_key = \"" +
                         generated.key + "\"\n");
  return generated;
}

}  // namespace sluice::manage
