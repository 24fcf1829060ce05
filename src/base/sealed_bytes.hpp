#pragma once
// Bytes that never change again, kept in a sealed memory file (memfd) so a
// server can hand them to many sockets with sendfile(2): the kernel sends the
// file's pages themselves, where write(2) would first copy the bytes into each
// socket's buffer. That copy was 30 % of sluice's CPU serving 500 HLS viewers
// (README, "HLS against nginx-rtmp"), and is what nginx skips for files.
//
// The file is also mapped read-only, so the bytes can still be read in
// place (tests, a fallback writer). Where memfd is unavailable the bytes stay
// in an ordinary vector and fd() is -1: callers then write them as before.
// The same happens when the DescriptorBudget given is spent, so sealed files
// never take the descriptors connections need.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <vector>

#include "base/descriptor_budget.hpp"

namespace sluice {

class SealedBytes {
 public:
  // Moves `bytes` into a new sealed file, one descriptor taken from `budget`
  // (null: none may be), or keeps them in memory when that is not possible.
  static std::shared_ptr<const SealedBytes> seal(std::vector<uint8_t> bytes,
                                                 const std::shared_ptr<DescriptorBudget>& budget);

  ~SealedBytes();
  SealedBytes(const SealedBytes&) = delete;
  SealedBytes& operator=(const SealedBytes&) = delete;

  // The sealed file to sendfile() from, or -1 when the bytes are in memory only.
  int fd() const { return fd_; }
  std::span<const uint8_t> view() const { return view_; }
  const uint8_t* data() const { return view_.data(); }
  size_t size() const { return view_.size(); }
  uint8_t operator[](size_t i) const { return view_[i]; }
  auto begin() const { return view_.begin(); }
  auto end() const { return view_.end(); }

 private:
  SealedBytes() = default;

  int fd_ = -1;
  std::shared_ptr<DescriptorBudget> budget_;  // given back its descriptor at the end
  void* mapping_ = nullptr;
  std::vector<uint8_t> fallback_;
  std::span<const uint8_t> view_;
};

using SharedSealedBytes = std::shared_ptr<const SealedBytes>;

}  // namespace sluice
