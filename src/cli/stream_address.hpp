#pragma once
// A stream on the command line: `[vhost/]app/stream`. The vhost defaults to
// __defaultVhost__; with `--domain D` the stream is addressed by Domain
// instead (and a vhost part is refused).
#include <optional>
#include <string>

namespace sluice::cli {

inline constexpr const char* kDefaultVhost = "__defaultVhost__";

struct StreamAddress {
  std::optional<std::string> vhost;   // set unless addressed by domain
  std::optional<std::string> domain;  // from --domain
  std::string app;
  std::string stream;
  std::string display() const;  // "vhost/app/stream" or "domain/app/stream"
};

// Throws UsageError when `text` is not [vhost/]app/stream with app and stream
// of the API's naming rules (App 1-30, Stream 1-100 of A-Z a-z 0-9 _ - .).
StreamAddress parse_stream_address(const std::string& text, const std::string& domain);

}  // namespace sluice::cli
