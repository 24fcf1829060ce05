#include "api/authenticator.hpp"

#include <fmt/format.h>
#include <algorithm>

#include "api/api_error.hpp"
#include "base/sha256.hpp"
#include "base/untrusted_text.hpp"

namespace sluice::api {

const Sha256Digest& Authenticator::signing_key(const std::string& secret,
                                               const sign::Scope& scope) const {
  std::string cache_key = secret + '\n' + scope.to_string();
  auto it = key_cache_.find(cache_key);
  if (it != key_cache_.end()) return it->second;
  if (key_cache_.size() > 64) key_cache_.clear();  // old dates; cheap to rebuild
  return key_cache_.emplace(cache_key, sign::signing_key(secret, scope)).first->second;
}

SignedBy Authenticator::authenticate(const ApiRequest& request, WallTime now) const {
  auto authorization = request.header("Authorization");
  if (!authorization || authorization->empty()) {
    throw ApiError::missing_authentication_token("the request has no Authorization header");
  }
  auto x_date_text = request.header("X-Date");
  if (!x_date_text || x_date_text->empty())
    throw ApiError::missing_request_info("the request has no X-Date header");
  auto x_date = parse_x_date(*x_date_text);
  if (!x_date) {
    throw ApiError::invalid_timestamp(
        "X-Date must be a UTC time from year 0001 to 9999 written like 20240101T000000Z");
  }
  if (*x_date > now + config_.max_clock_skew || *x_date < now - config_.max_clock_skew) {
    throw ApiError::invalid_timestamp(fmt::format(
        "X-Date {} is more than {} s away from the server time {}", printable(*x_date_text),
        config_.max_clock_skew.count() / 1000, format_rfc3339_s(now)));
  }
  if (request.header("X-Security-Token")) {
    throw ApiError::invalid_access_key(
        "temporary (STS) credentials are not supported by sluice; sign with an access key");
  }

  auto auth = sign::parse_authorization(*authorization);
  if (!auth || auth->algorithm != sign::kAlgorithm || auth->terminator != sign::kTerminator) {
    throw ApiError::signature_does_not_match(
        "malformed Authorization header (expected HMAC-SHA256 "
        "Credential=AK/date/region/live/request, "
        "SignedHeaders=..., Signature=...)");
  }
  const std::string* secret = keys_.secret_for(auth->access_key);
  if (!secret)
    throw ApiError::invalid_access_key("unknown access key " + printable(auth->access_key));
  if (auth->scope.date != x_date_text->substr(0, 8)) {
    throw ApiError::signature_does_not_match("the credential scope date differs from X-Date");
  }
  if (auth->scope.service != "live") {
    throw ApiError::signature_does_not_match("the credential scope service must be live");
  }
  if (auth->scope.region != config_.region) {
    throw ApiError::signature_does_not_match("the credential scope region must be " +
                                             config_.region);
  }
  if (std::find(auth->signed_headers.begin(), auth->signed_headers.end(), "x-date") ==
      auth->signed_headers.end()) {
    throw ApiError::signature_does_not_match("x-date must be among the signed headers");
  }

  const std::string body_hash = sha256_hex(request.body);
  if (auto claimed = request.header("X-Content-Sha256"); claimed && *claimed != body_hash) {
    throw ApiError::signature_does_not_match("X-Content-Sha256 does not match the body");
  }
  sign::CanonicalInput in{request.method,  request.path,         request.query,
                          request.headers, auth->signed_headers, body_hash};
  const auto expected = to_hex(hmac_sha256(
      signing_key(*secret, auth->scope),
      {as_bytes(sign::string_to_sign(*x_date_text, auth->scope, sign::canonical_request(in)))}));
  if (!sign::equal_constant_time(expected, auth->signature)) {
    throw ApiError::signature_does_not_match("the request signature does not match");
  }
  return {auth->access_key, auth->signature, *x_date};
}

}  // namespace sluice::api
