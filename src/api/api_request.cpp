#include "api/api_request.hpp"

#include <strings.h>

namespace sluice::api {

std::optional<std::string_view> ApiRequest::header(std::string_view name) const {
  for (const auto& [k, v] : headers) {
    if (k.size() == name.size() && ::strncasecmp(k.data(), name.data(), name.size()) == 0) return v;
  }
  return std::nullopt;
}

std::optional<std::string_view> ApiRequest::query_param(std::string_view name) const {
  for (const auto& [k, v] : query) {
    if (k == name) return v;
  }
  return std::nullopt;
}

}  // namespace sluice::api
