#include "base/untrusted_text.hpp"

#include <fmt/format.h>

namespace sluice {

std::string printable(std::string_view untrusted, size_t max_bytes) {
  const size_t kept = untrusted.size() < max_bytes ? untrusted.size() : max_bytes;
  std::string out;
  out.reserve(kept + 16);
  for (const unsigned char c : untrusted.substr(0, kept)) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c < 0x20 || c >= 0x7f) {
      out += fmt::format("\\x{:02x}", c);
    } else {
      out += static_cast<char>(c);
    }
  }
  if (kept < untrusted.size()) out += fmt::format("...(+{} bytes)", untrusted.size() - kept);
  return out;
}

}  // namespace sluice
