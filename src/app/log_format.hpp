#pragma once
// The server's log line formats. Text: the message part goes through a
// formatter that escapes control characters, so whatever a session puts into
// a log call (a client's stream name, a URL, an exception text), one call is
// one line: no client can forge a second, [error]-looking line. JSON: one
// object per line, {"time","level","message"}, escaped as JSON (invalid UTF-8
// becomes U+FFFD), for log collectors. Sources still cut and escape
// untrusted values with printable(); this is the backstop for every path,
// including exception messages from libraries.
#include <spdlog/logger.h>

#include <string>
#include <string_view>

namespace sluice {

void use_single_line_format(spdlog::logger& logger);
void use_json_format(spdlog::logger& logger);

// `text` as the inside of a JSON string: quotes, backslashes and controls
// escaped, invalid UTF-8 replaced by \ufffd.
void append_json_string_body(std::string_view text, std::string& out);

}  // namespace sluice
