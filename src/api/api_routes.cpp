#include "api/api_routes.hpp"

#include <spdlog/spdlog.h>

#include <boost/beast/http/field.hpp>

#include "api/envelope.hpp"
#include "api/request_reading.hpp"
#include "base/untrusted_text.hpp"
#include "http/request_limits.hpp"

namespace sluice::api {

namespace bhttp = boost::beast::http;
using http::HttpError;
using http::RequestContext;
using http::Response;
using http::Verb;

namespace {

Response json_response(unsigned status, std::string body) {
  Response response{static_cast<bhttp::status>(status), 11};
  response.set(bhttp::field::content_type, "application/json; charset=utf-8");
  response.set(bhttp::field::server, "sluice");
  response.body() = std::move(body);
  return response;
}

ApiError as_api_error(const HttpError& error, const config::ApiConfig& config) {
  switch (error.status) {
    case 413:
      return ApiError::request_entity_too_large("request body over api.max_body_bytes (" +
                                                std::to_string(config.max_body_bytes) + " bytes)");
    case 431:
      return ApiError::request_header_fields_too_large(
          "request header over " + std::to_string(http::kRequestHeaderLimit) + " bytes");
    case 404:
      return ApiError::no_such_path("no API at this path; the OpenAPI is served at /");
    case 405:
      return ApiError::method_not_allowed(error.message);
    default:
      return ApiError::missing_request_info(error.message);
  }
}

}  // namespace

http::RouteSet api_routes(ApiService& service, const config::ApiConfig& config,
                          ApiObserver observe) {
  http::RouteSet routes("api", [&config](const HttpError& error) {
    // Action and Version are echoed when the start line was read.
    ApiRequest request;
    if (const auto q = error.target.find('?'); q != std::string_view::npos)
      request.query = sign::decode_query(error.target.substr(q + 1));
    ResponseMetadata meta{new_request_id(), printable(request.query_param("Action").value_or("")),
                          printable(request.query_param("Version").value_or("")), config.region};
    const auto api_error = as_api_error(error, config);
    return json_response(api_error.http_status(), error_body(meta, api_error));
  });
  routes.body_limit = config.max_body_bytes;
  routes.read_timeout = config.idle_timeout;
  routes.strict_targets = false;  // the signature covers the query as sent

  routes.add(
      {Verb::get, Verb::post}, "/",
      [&service, observe = std::move(observe)](
          const RequestContext& context) -> boost::asio::awaitable<Response> {
        const auto began = std::chrono::steady_clock::now();
        // A named awaitable, never a temporary inside co_await (docs/design.md,
        // threading rule 6: GCC 12 frees such by-value arguments twice).
        auto handling =
            service.handle(to_api_request(context.request), std::chrono::system_clock::now());
        auto result = co_await std::move(handling);
        // Access log without headers: the Authorization header is no
        // secret, but nothing here needs it either.
        spdlog::debug("api {} {} {} {}", context.peer, result.action, result.status, result.code);
        if (observe) {
          // The client's Action is a label only when it names a real one,
          // so a scanner cannot grow the metrics.
          const bool known = find_action(result.action).has_value();
          observe(known ? std::string_view(result.action) : "unknown", result.code,
                  std::chrono::steady_clock::now() - began);
        }
        co_return json_response(result.status, std::move(result.body));
      });
  routes.add({Verb::get}, "/healthz",
             [](const RequestContext&) -> boost::asio::awaitable<Response> {
               // The version helps an operator or a probe tell which build
               // answers; nothing else (no keys, paths or counts) is shown.
               co_return json_response(200, R"({"status":"ok","version":")" SLUICE_VERSION R"("})");
             });
  return routes;
}

}  // namespace sluice::api
