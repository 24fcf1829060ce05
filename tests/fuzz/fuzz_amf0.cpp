// AMF0 command and data bodies: decode_all as the session runs it, and the
// encoder on whatever was decoded: its output must decode again.
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "base/errors.hpp"
#include "rtmp/amf0.hpp"

using namespace sluice::rtmp;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::vector<amf0::Value> values;
  try {
    values = amf0::decode_all(std::span(data, size));
  } catch (const sluice::ProtocolError&) {
    return 0;
  }
  std::vector<uint8_t> encoded;
  for (const auto& v : values) amf0::encode(v, encoded);
  // Throws (and so aborts the run) if the encoder wrote what decode refuses.
  auto again = amf0::decode_all(encoded);
  if (again.size() != values.size()) __builtin_trap();
  return 0;
}
