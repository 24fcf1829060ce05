#include "base/sealed_bytes.hpp"

#include <fcntl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cerrno>

namespace sluice {
namespace {

bool write_all(int fd, const std::vector<uint8_t>& bytes) {
  size_t written = 0;
  while (written < bytes.size()) {
    const ssize_t n = ::write(fd, bytes.data() + written, bytes.size() - written);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    written += static_cast<size_t>(n);
  }
  return true;
}

}  // namespace

std::shared_ptr<const SealedBytes> SealedBytes::seal(
    std::vector<uint8_t> bytes, const std::shared_ptr<DescriptorBudget>& budget) {
  std::shared_ptr<SealedBytes> out(new SealedBytes());
  // An empty mapping is not possible; an empty body needs no file.
  const bool may_open = !bytes.empty() && budget && budget->try_take();
  const int fd = may_open ? ::memfd_create("sluice-bytes", MFD_CLOEXEC | MFD_ALLOW_SEALING) : -1;
  if (may_open && fd < 0) budget->give_back();
  if (fd >= 0) {
    void* mapping = MAP_FAILED;
    // Sealed against every change, so no holder can alter what another sends.
    if (write_all(fd, bytes) &&
        ::fcntl(fd, F_ADD_SEALS, F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE | F_SEAL_SEAL) == 0)
      mapping = ::mmap(nullptr, bytes.size(), PROT_READ, MAP_SHARED, fd, 0);
    if (mapping != MAP_FAILED) {
      out->fd_ = fd;
      out->mapping_ = mapping;
      out->view_ = {static_cast<const uint8_t*>(mapping), bytes.size()};
      out->budget_ = budget;
      return out;
    }
    ::close(fd);
    budget->give_back();
  }
  out->fallback_ = std::move(bytes);
  out->view_ = out->fallback_;
  return out;
}

SealedBytes::~SealedBytes() {
  if (mapping_) ::munmap(mapping_, view_.size());
  if (fd_ >= 0) {
    ::close(fd_);
    budget_->give_back();
  }
}

}  // namespace sluice
