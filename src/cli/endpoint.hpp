#pragma once
// Where the management API is: `--endpoint` / SLUICE_ENDPOINT, with the
// scheme optional (http for loopback names, https otherwise).
#include <string>

namespace sluice::cli {

struct Endpoint {
  std::string scheme;  // "http" | "https"
  std::string host;    // "127.0.0.1:1985"
  std::string url() const { return scheme + "://" + host; }
};

inline constexpr const char* kDefaultEndpoint = "http://127.0.0.1:1985";

// Throws UsageError on a malformed endpoint.
Endpoint parse_endpoint(const std::string& text);

}  // namespace sluice::cli
