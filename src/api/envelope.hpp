#pragma once
// The Volcengine response envelope: ResponseMetadata, then Result (success)
// or Error (failure), never both.
#include <boost/json/value.hpp>
#include <optional>
#include <string>

#include "api/api_error.hpp"

namespace sluice::api {

struct ResponseMetadata {
  std::string request_id;
  std::string action;
  std::string version;
  std::string region;
};

// A Volcengine-style request id: UTC time to the second, then 16 hex digits.
std::string new_request_id();

// Writes actions (KillStream...) succeed without a Result key: pass nullopt.
std::string success_body(const ResponseMetadata& meta,
                         const std::optional<boost::json::value>& result);
std::string error_body(const ResponseMetadata& meta, const ApiError& error);

}  // namespace sluice::api
