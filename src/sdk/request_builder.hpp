#pragma once
// Request structs → what goes on the wire: query parameters for the GET
// actions, a JSON body for the POST ones. Field names as in the contract,
// in its order; unset optional fields are left out, required ones always sent.
#include <string>
#include <string_view>

#include "sign/signer.hpp"
#include "sluice/live_service.hpp"

namespace sluice::sdk {

// The parameters after Action and Version.
sign::Params build_query(const DescribeLiveStreamInfoByPageRequest& request);
sign::Params build_query(const DescribeClosedStreamInfoByPageRequest& request);
sign::Params build_query(const DescribeForbiddenStreamInfoByPageRequest& request);
sign::Params build_query(const DescribeLiveStreamStateRequest& request);

// Compact JSON objects, e.g. {"Vhost":"v","App":"live","Stream":"s"}.
std::string build_body(const KillStreamRequest& request);
std::string build_body(const ForbidStreamRequest& request);
std::string build_body(const ResumeStreamRequest& request);
std::string build_body(const GenerateUrlOnServerRequest& request);

// For LiveService::call: a JSON object's members as query parameters (strings
// as they are, numbers in decimal, booleans as true/false, null left out,
// arrays and objects as JSON text). Throws LiveError (kInvalidArgument) when
// `params_json` is not a JSON object; empty text is an empty object.
sign::Params query_from_json(std::string_view params_json);
// The body to POST: `params_json` unchanged ("{}" when empty). Throws
// LiveError (kInvalidArgument) when it is not a JSON object.
std::string body_from_json(std::string_view params_json);

}  // namespace sluice::sdk
