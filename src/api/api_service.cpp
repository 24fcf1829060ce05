#include "api/api_service.hpp"

#include <spdlog/spdlog.h>

#include "api/actions.hpp"
#include "api/envelope.hpp"
#include "api/params.hpp"

namespace sluice::api {

ApiResponse ApiService::handle(const ApiRequest& request, SystemTime now) {
  ResponseMetadata meta{new_request_id(), std::string(request.query_param("Action").value_or("")),
                        std::string(request.query_param("Version").value_or("")),
                        config_.api.region};
  ApiResponse response;
  response.action = meta.action;
  try {
    if (meta.action.empty() || meta.version.empty()) {
      throw ApiError::missing_parameter("Action and Version are required in the query string");
    }
    ActionHandler handler = find_action(meta.action);
    if (!handler || meta.version != kApiVersion || request.path != "/") {
      throw ApiError::invalid_action_or_version("unknown action " + meta.action + " for version " +
                                                meta.version);
    }
    authenticator_.authenticate(request, now);
    auto result = handler(Params::from_request(request), manager_);
    response.body = success_body(meta, result);
  } catch (const ApiError& e) {
    response.status = e.http_status();
    response.code = e.code();
    response.body = error_body(meta, e);
  } catch (const std::exception& e) {
    // A real internal failure (the store, say). Its text may name files but
    // never secrets; it is logged in full and answered briefly.
    spdlog::error("api {} failed: {}", meta.action, e.what());
    auto error = ApiError::internal_error("internal error; see the server log for request " +
                                          meta.request_id);
    response.status = error.http_status();
    response.code = error.code();
    response.body = error_body(meta, error);
  }
  return response;
}

}  // namespace sluice::api
