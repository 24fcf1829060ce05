#pragma once
// Verifying Volcengine-style signed push and play URLs (the two query
// parameters of a request against a vhost's keys). The signature itself is
// defined once, in sign/url_signature.hpp, which the SDK signs with.
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "sign/url_signature.hpp"

namespace sluice::manage {

using sign::kVolcSecretParam;
using sign::kVolcTimeParam;
using sign::url_signature;

enum class SignatureVerdict {
  kValid,
  kMissing,          // neither volcTime nor volcSecret
  kIncomplete,       // one of the two
  kMalformedTime,    // volcTime is not plain decimal unix seconds
  kMalformedSecret,  // volcSecret is not 32 hex digits
  kMismatch,         // matches none of the keys
  kExpired,          // matches a key, but volcTime has passed
};

struct SignatureCheck {
  SignatureVerdict verdict = SignatureVerdict::kMissing;
  int64_t expiry_s = 0;  // volcTime, when it parsed
};

// True when the request carries either signature parameter.
bool has_signature_params(const std::map<std::string, std::string>& params);

// Checks the request's volcTime/volcSecret against each key (the primary
// and the secondary, so keys rotate without downtime). The signature is
// compared in constant time; a time in the past (`now_s` > volcTime) is
// expired. Never throws on any parameter text.
SignatureCheck verify_url_signature(const std::map<std::string, std::string>& params,
                                    std::string_view app, std::string_view stream,
                                    const std::vector<std::string>& keys, int64_t now_s);

}  // namespace sluice::manage
