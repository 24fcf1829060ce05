#include "base/secret_file.hpp"

#include <fcntl.h>
#include <openssl/rand.h>
#include <unistd.h>

#include <cstdint>
#include <stdexcept>

namespace sluice {

std::string random_alphanumeric(size_t length) {
  static constexpr char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  std::string out;
  out.reserve(length);
  while (out.size() < length) {
    uint8_t b = 0;
    if (RAND_bytes(&b, 1) != 1) throw std::runtime_error("no random bytes for a generated key");
    if (b < 62 * 4) out.push_back(kAlphabet[b % 62]);  // rejection keeps it uniform
  }
  return out;
}

void write_private_file(const std::filesystem::path& file, const std::string& text) {
  const int fd = ::open(file.c_str(), O_WRONLY | O_CREAT | O_EXCL, 0600);
  if (fd < 0) throw std::runtime_error("cannot create " + file.string());
  const ssize_t written = ::write(fd, text.data(), text.size());
  ::fsync(fd);
  ::close(fd);
  if (written != static_cast<ssize_t>(text.size()))
    throw std::runtime_error("cannot write " + file.string());
}

}  // namespace sluice
