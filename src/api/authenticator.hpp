#pragma once
// Verifies a request's Volcengine V4 signature exactly as the contract says:
// canonical query rebuilt from decoded parameters, the client's own signed
// header list, the body hashed as received, a constant-time comparison, and
// an X-Date within the configured clock skew.
#include <map>
#include <string>

#include "api/api_request.hpp"
#include "api/key_store.hpp"
#include "base/rfc3339.hpp"
#include "config/config.hpp"

namespace sluice::api {

// What a verified signature tells about a request.
struct SignedBy {
  std::string access_key;
  // The verified signature (lower-case hex). It covers the method, query,
  // signed headers, X-Date and the body's hash, so it names the request.
  std::string signature;
  WallTime x_date;
};

class Authenticator {
 public:
  Authenticator(const KeyStore& keys, const config::ApiConfig& config)
      : keys_(keys), config_(config) {}

  // Who signed the request and when; throws ApiError when the request is
  // unsigned, mis-signed or stale.
  SignedBy authenticate(const ApiRequest& request, WallTime now) const;

 private:
  const Sha256Digest& signing_key(const std::string& secret, const sign::Scope& scope) const;

  const KeyStore& keys_;
  const config::ApiConfig& config_;
  // Derived keys change once a day per access key: cache them (4 HMACs saved
  // per request). Keyed by secret + scope; holds a handful of entries.
  mutable std::map<std::string, Sha256Digest> key_cache_;
};

}  // namespace sluice::api
