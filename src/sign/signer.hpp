#pragma once
// Volcengine OpenAPI request signing ("HMAC-SHA256", a SigV4-style scheme),
// as the real SDKs sign and as docs/api.md describes.
// One implementation for both sides: the SDK signs with it and the API
// server verifies with it.
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/hmac.hpp"

namespace sluice::sign {

inline constexpr std::string_view kAlgorithm = "HMAC-SHA256";
inline constexpr std::string_view kTerminator = "request";

using Params = std::vector<std::pair<std::string, std::string>>;
using Headers = std::vector<std::pair<std::string, std::string>>;

// What the signature covers. Query parameters are DECODED (both '+' and %20
// are a space); header names in any case, values as sent.
struct CanonicalInput {
  std::string method;
  std::string path = "/";
  Params query;
  Headers headers;
  std::vector<std::string> signed_headers;  // lower-case, in the client's order
  std::string body_sha256_hex;
};

struct Scope {
  std::string date;  // YYYYMMDD
  std::string region;
  std::string service;
  std::string to_string() const;  // date/region/service/request
};

// RFC 3986 encoding: only A-Za-z0-9-_.~ bare, upper-case hex of UTF-8 bytes.
std::string uri_encode(std::string_view s);
// Decodes a raw query string (what follows '?'); '+' is a space.
Params decode_query(std::string_view raw_query);

std::string canonical_query(const Params& params);
std::string canonical_request(const CanonicalInput& in);
std::string string_to_sign(std::string_view x_date, const Scope& scope, std::string_view canonical);
Sha256Digest signing_key(std::string_view secret_key, const Scope& scope);
std::string signature(std::string_view secret_key, std::string_view x_date, const Scope& scope,
                      const CanonicalInput& in);
std::string authorization(std::string_view access_key, const Scope& scope,
                          const std::vector<std::string>& signed_headers,
                          std::string_view signature_hex);

struct Authorization {
  std::string algorithm;
  std::string access_key;
  Scope scope;
  std::string terminator;
  std::vector<std::string> signed_headers;
  std::string signature;
};

// Parses "HMAC-SHA256 Credential=AK/date/region/service/request,
// SignedHeaders=a;b, Signature=hex"; nullopt when malformed.
std::optional<Authorization> parse_authorization(std::string_view header);

// Constant-time comparison of two signatures.
bool equal_constant_time(std::string_view a, std::string_view b);

}  // namespace sluice::sign
