#include "api/api_service.hpp"

#include <spdlog/spdlog.h>

#include "api/envelope.hpp"
#include "api/params.hpp"
#include "base/rfc3339.hpp"
#include "base/untrusted_text.hpp"
#include "http/host_header.hpp"

namespace sluice::api {

boost::asio::awaitable<ApiResponse> ApiService::handle(ApiRequest request, WallTime now) {
  const std::string_view action_name = request.query_param("Action").value_or("");
  const std::string_view version = request.query_param("Version").value_or("");
  // Echoed in every answer (and the access log), so escaped and cut: a known
  // action or version passes unchanged.
  ResponseMetadata meta{new_request_id(), printable(action_name), printable(version),
                        config_.api.region};
  ApiResponse response;
  response.action = meta.action;
  std::optional<SignedBy> signer;
  bool remember_answer = false;
  try {
    if (action_name.empty() || version.empty()) {
      throw ApiError::missing_parameter("Action and Version are required in the query string");
    }
    const std::optional<Action> action = find_action(action_name);
    if (!action || version != kApiVersion || request.path != "/") {
      throw ApiError::invalid_action_or_version("unknown action " + meta.action + " for version " +
                                                meta.version);
    }
    signer = authenticator_.authenticate(request, now);
    if (action->writes) {
      if (signer->x_date < started_) {
        throw ApiError::invalid_timestamp(
            "a write signed before the server started (" + format_rfc3339_s(started_) +
            ") is refused: it may have run before the restart; sign it again");
      }
      if (const StoredAnswer* first = replays_.find(signer->signature, now)) {
        spdlog::info("api {}: the same signed request again; answered as the first time, not run",
                     meta.action);
        co_return ApiResponse{first->status, first->body, meta.action, first->code};
      }
      if (!replays_.has_room(now)) {
        throw ApiError::flow_limit_exceeded(fmt::format(
            "too many write requests within the signing window ({} remembered); try again later",
            replays_.max_entries()));
      }
      remember_answer = true;
    }
    ActionContext context{control_, urls_,
                          std::string(http::host_name(request.header("Host").value_or("")))};
    auto task = action->handler(Params::from_request(request), std::move(context));
    auto result = co_await std::move(task);
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
  // Every answer of a write that ran, errors included: running it again
  // could give another (a second ForbidStream after a ResumeStream would
  // succeed), and the point is that it does not run again.
  if (remember_answer) {
    replays_.remember(signer->signature, signer->x_date + config_.api.max_clock_skew,
                      {response.status, response.body, response.code});
  }
  co_return response;
}

}  // namespace sluice::api
