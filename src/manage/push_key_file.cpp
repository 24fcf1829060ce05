#include "manage/push_key_file.hpp"

#include <fcntl.h>
#include <openssl/rand.h>
#include <unistd.h>

#include <toml++/toml.h>
#include <algorithm>
#include <stdexcept>

namespace sluice::manage {
namespace {

std::string random_key(size_t length) {
  static constexpr char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  std::string out;
  out.reserve(length);
  while (out.size() < length) {
    uint8_t b = 0;
    if (RAND_bytes(&b, 1) != 1) throw std::runtime_error("no random bytes for the push key");
    if (b < 62 * 4) out.push_back(kAlphabet[b % 62]);  // rejection keeps it uniform
  }
  return out;
}

void write_private_file(const std::filesystem::path& file, const std::string& text) {
  // Created 0600 from the start, so the key is never readable by others.
  const int fd = ::open(file.c_str(), O_WRONLY | O_CREAT | O_EXCL, 0600);
  if (fd < 0) throw std::runtime_error("cannot create " + file.string());
  const ssize_t written = ::write(fd, text.data(), text.size());
  ::fsync(fd);
  ::close(fd);
  if (written != static_cast<ssize_t>(text.size()))
    throw std::runtime_error("cannot write " + file.string());
}

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
  DefaultPushKey generated{random_key(32), file, true};
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
