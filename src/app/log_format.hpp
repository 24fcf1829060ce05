#pragma once
// The server's log line format. The message part goes through a formatter
// that escapes control characters, so whatever a session puts into a log call
// (a client's stream name, a URL, an exception text), one call is one line:
// no client can forge a second, [error]-looking line. Sources still cut and
// escape untrusted values with printable(); this is the backstop for every
// path, including exception messages from libraries.
#include <spdlog/logger.h>

namespace sluice {

void use_single_line_format(spdlog::logger& logger);

}  // namespace sluice
