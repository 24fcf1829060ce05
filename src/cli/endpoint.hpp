#pragma once
// Where the management API is: `--endpoint` / SLUICE_ENDPOINT / --config,
// [http[s]://]HOST[:PORT]. Without a scheme, an IP address or a loopback name
// is sluice's own plain-HTTP API and a DNS name is https (a sluice behind
// TLS, or Volcengine's cloud). Without a port, http is the API's default
// port 1985 (not 80: sluice serves its API there) and https is 443.
#include <string>

namespace sluice::cli {

struct Endpoint {
  std::string scheme;  // "http" | "https"
  std::string host;    // "127.0.0.1:1985", "[::1]:1985", "api.example.com"
  std::string url() const { return scheme + "://" + host; }
};

inline constexpr const char* kDefaultEndpoint = "http://127.0.0.1:1985";
inline constexpr int kDefaultApiPort = 1985;

// Throws UsageError on a malformed endpoint.
Endpoint parse_endpoint(const std::string& text);

}  // namespace sluice::cli
