#pragma once
// Reading the recorded real-client byte streams in ../shared/fixtures/rtmp.
#include <cstdint>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

namespace sluice::test {

inline std::vector<uint8_t> read_fixture(const std::string& name) {
  std::ifstream in(std::string(SLUICE_FIXTURES_DIR) + "/rtmp/" + name, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// Bytes of a recording after C0, C1 and C2: the chunk stream.
constexpr size_t kHandshakeBytes = 1 + 1536 + 1536;

}  // namespace sluice::test
