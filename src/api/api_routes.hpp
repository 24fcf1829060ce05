#pragma once
// The API listener's routes:
//   GET|POST /?Action=...&Version=...  the OpenAPI (api/api_service.hpp)
//   GET /healthz                       {"status":"ok","version":"X.Y.Z"}: the process serves
// Every answer the server gives itself here (a body over api.max_body_bytes,
// a header over 16 KiB, no route, wrong method) is a Volcengine error
// envelope, so an SDK reads it like any other API error.
#include "api/api_service.hpp"
#include "config/config.hpp"
#include "http/route_set.hpp"

namespace sluice::api {

// `service` and `config` must outlive the route set.
http::RouteSet api_routes(ApiService& service, const config::ApiConfig& config);

}  // namespace sluice::api
