#pragma once
// The API listener's routes:
//   GET|POST /?Action=...&Version=...  the OpenAPI (api/api_service.hpp)
//   GET /healthz                       {"status":"ok","version":"X.Y.Z"}: the process serves
// Every answer the server gives itself here (a body over api.max_body_bytes,
// a header over 16 KiB, no route, wrong method) is a Volcengine error
// envelope, so an SDK reads it like any other API error.
#include <chrono>
#include <functional>
#include <string_view>

#include "api/actions.hpp"
#include "api/api_service.hpp"
#include "config/config.hpp"
#include "http/route_set.hpp"

namespace sluice::api {

// Told of every answered OpenAPI request (on the control executor): the
// action if it is a known one, else "unknown"; the error code, empty on
// success; the time from the parsed request to the answer.
using ApiObserver = std::function<void(std::string_view action, std::string_view code,
                                       std::chrono::duration<double> took)>;

// `service` and `config` must outlive the route set.
http::RouteSet api_routes(ApiService& service, const config::ApiConfig& config,
                          ApiObserver observe = {});

}  // namespace sluice::api
