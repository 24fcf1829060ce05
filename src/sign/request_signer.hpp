#pragma once
// The client side: the headers that sign a request (what the SDK, the load
// tool and the tests send), in either of the two ways Volcengine's own SDKs
// sign.
#include <string>

#include "base/wall_time.hpp"
#include "sign/signer.hpp"

namespace sluice::sign {

// Which headers the signature covers. The server accepts both: it checks
// whatever list the client names (x-date always among them).
enum class HeaderCoverage {
  // Python SDK: content-type and host when given, x-content-sha256, x-date.
  kPythonSdk,
  // Node.js SDK: x-date, plus x-content-sha256 only when there is a body.
  // Survives a proxy that rewrites Host or Content-Type.
  kNodeSdk,
};

// Members all have initializers so that designated initializers naming only
// some of them compile without -Wmissing-field-initializers (GCC, -Wextra).
struct ClientRequest {
  std::string method = "GET";
  std::string path = "/";
  Params query{};              // decoded
  std::string host{};          // signed when not empty
  std::string content_type{};  // signed when not empty
  std::string body{};
  HeaderCoverage coverage = HeaderCoverage::kPythonSdk;
};

struct Credentials {
  std::string access_key{};
  std::string secret_key{};
  std::string region = "cn-north-1";
  std::string service = "live";
  std::string session_token{};  // STS temporary credentials: sent as X-Security-Token
};

// Headers to add to the request: X-Date, X-Content-Sha256 (unless kNodeSdk
// signs a request without a body), X-Security-Token (with a session token),
// Authorization.
Headers signed_headers(const ClientRequest& request, const Credentials& credentials,
                       const std::string& x_date);

// "20240101T000000Z" for a time (sluice::format_x_date, named here for the
// signing code that reads it next to signed_headers).
std::string format_x_date(WallTime t);

// The query string to send: RFC 3986-encoded, in the given order.
std::string encode_query(const Params& query);

}  // namespace sluice::sign
