#pragma once
// How the API listener reads a request: the parser's limits and the
// translation of Beast's request into an ApiRequest. Apart from the session
// so the fuzz targets (tests/fuzz) run exactly this code.
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>
#include <cstddef>

#include "api/api_request.hpp"
#include "config/config.hpp"

namespace sluice::api {

inline constexpr size_t kRequestHeaderLimit = 16 * 1024;

using RequestParser = boost::beast::http::request_parser<boost::beast::http::string_body>;
// Header limit, and the body limit of `api.max_body_bytes`.
void apply_request_limits(RequestParser& parser, const config::ApiConfig& config);

ApiRequest to_api_request(
    const boost::beast::http::request<boost::beast::http::string_body>& request);

}  // namespace sluice::api
