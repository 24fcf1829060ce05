#pragma once
// The default vhost's push key when the config gives it none: generated on
// first start into <data_dir>/push-key.toml (mode 0600) and reused, as the
// API key is, so that a fresh server is secure (remote publishers need a
// signed URL) and usable (`sluice push-url` reads the file) at once.
#include <filesystem>
#include <optional>
#include <string>

#include "config/config.hpp"

namespace sluice::manage {

std::filesystem::path push_key_path(const std::filesystem::path& data_dir);
// The key in a push key file; nullopt when there is no file. Throws
// std::runtime_error naming the file when it is malformed.
std::optional<std::string> read_push_key_file(const std::filesystem::path& file);

struct DefaultPushKey {
  std::string key;
  std::filesystem::path file;
  bool generated_now = false;
};

// nullopt when the config gives the default vhost a push key; else the
// key file's, written now if it does not exist. Throws on I/O errors.
std::optional<DefaultPushKey> load_or_generate_push_key(const config::Config& config);

}  // namespace sluice::manage
