// The TOML configuration: any text is a Config or a ConfigError (what
// `sluice serve` reports and exits 2 on); anything else escaping is a bug.
#include <cstddef>
#include <cstdint>
#include <string>

#include "config/config.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  try {
    sluice::config::load_string(std::string(reinterpret_cast<const char*>(data), size));
  } catch (const sluice::config::ConfigError&) {
  }
  return 0;
}
