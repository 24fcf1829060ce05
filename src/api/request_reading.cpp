#include "api/request_reading.hpp"

namespace sluice::api {

void apply_request_limits(RequestParser& parser, const config::ApiConfig& config) {
  parser.header_limit(kRequestHeaderLimit);
  parser.body_limit(config.max_body_bytes);
}

ApiRequest to_api_request(
    const boost::beast::http::request<boost::beast::http::string_body>& request) {
  ApiRequest r;
  r.method = std::string(request.method_string());
  std::string_view target = request.target();
  auto q = target.find('?');
  r.path = std::string(target.substr(0, q));
  if (q != std::string_view::npos) r.query = sign::decode_query(target.substr(q + 1));
  for (const auto& field : request)
    r.headers.emplace_back(std::string(field.name_string()), std::string(field.value()));
  r.body = request.body();
  return r;
}

}  // namespace sluice::api
