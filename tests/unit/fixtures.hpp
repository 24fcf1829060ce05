#pragma once
// Reading the files in tests/fixtures (recorded real-client RTMP byte streams,
// the captured signing vectors). A missing, unreadable or empty fixture throws
// with its path, so the test that needed it fails with a clear message
// instead of parsing nothing and crashing further on.
#include <cstdint>
#include <fstream>
#include <iterator>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace sluice::test {

inline std::string fixture_path(std::string_view relative) {
  return std::string(SLUICE_FIXTURES_DIR) + "/" + std::string(relative);
}

inline std::string read_fixture_text(std::string_view relative) {
  const std::string path = fixture_path(relative);
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("fixture missing or unreadable: " + path);
  std::string text{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  if (text.empty()) throw std::runtime_error("fixture is empty: " + path);
  return text;
}

// A recording in tests/fixtures/rtmp.
inline std::vector<uint8_t> read_fixture(std::string_view name) {
  const std::string text = read_fixture_text("rtmp/" + std::string(name));
  return {text.begin(), text.end()};
}

// Bytes of a recording after C0, C1 and C2: the chunk stream.
constexpr size_t kHandshakeBytes = 1 + 1536 + 1536;

}  // namespace sluice::test
