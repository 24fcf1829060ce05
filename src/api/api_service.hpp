#pragma once
// The management API without the transport: checks Action and Version,
// authenticates, runs the action and wraps the answer in the Volcengine
// envelope. Every error becomes an error envelope here, in one place.
#include <string>

#include "api/api_request.hpp"
#include "api/authenticator.hpp"
#include "api/key_store.hpp"
#include "manage/stream_manager.hpp"

namespace sluice::api {

inline constexpr std::string_view kApiVersion = "2023-01-01";

struct ApiResponse {
  unsigned status = 200;
  std::string body;  // JSON
  std::string action;
  std::string code;  // error code, empty on success (for the access log)
};

class ApiService {
 public:
  ApiService(manage::StreamManager& manager, const KeyStore& keys, const config::Config& config)
      : manager_(manager), config_(config), authenticator_(keys, config.api) {}

  ApiResponse handle(const ApiRequest& request, SystemTime now);

 private:
  manage::StreamManager& manager_;
  const config::Config& config_;
  Authenticator authenticator_;
};

}  // namespace sluice::api
