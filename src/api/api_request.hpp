#pragma once
// A management API request as received, independent of the HTTP library.
#include <optional>
#include <string>
#include <string_view>

#include "sign/signer.hpp"

namespace sluice::api {

struct ApiRequest {
  std::string method;  // upper case
  std::string path;    // without the query
  sign::Params query;  // decoded, in wire order
  sign::Headers headers;
  std::string body;

  // First header of that name (case-insensitive).
  std::optional<std::string_view> header(std::string_view name) const;
  // First query parameter of that name.
  std::optional<std::string_view> query_param(std::string_view name) const;
};

}  // namespace sluice::api
