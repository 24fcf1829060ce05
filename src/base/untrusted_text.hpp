#pragma once
// Text that came from a client (stream names, URLs, access keys, query
// values) is made safe before it is logged or echoed: control characters and
// bytes outside printable ASCII become \xNN (so one log call is one line and
// no terminal escape survives), a backslash becomes \\, and the value is cut
// to a bound with a note of how much was dropped. Cheap enough for every
// refusal path; never used on the media hot path.
#include <cstddef>
#include <string>
#include <string_view>

namespace sluice {

// The default bound suits names and keys in log lines and error messages.
inline constexpr size_t kUntrustedTextMax = 64;

std::string printable(std::string_view untrusted, size_t max_bytes = kUntrustedTextMax);

}  // namespace sluice
