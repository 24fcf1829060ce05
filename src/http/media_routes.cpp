#include "http/media_routes.hpp"

#include <boost/beast/http/field.hpp>

#include "http/cors.hpp"
#include "http/flv_playback.hpp"
#include "http/hls_playback.hpp"
#include "http/ll_hls_playback.hpp"
#include "http/play_request.hpp"

namespace sluice::http {

namespace bhttp = boost::beast::http;

namespace {

constexpr auto kRequestTimeout = std::chrono::seconds(10);

Response text_response(unsigned status, std::string body) {
  Response response{static_cast<bhttp::status>(status), 11};
  response.set(bhttp::field::content_type, "text/plain");
  add_cors(response);
  response.body() = std::move(body);
  return response;
}

}  // namespace

RouteSet media_routes(ServerContext& context, HlsSessions& hls) {
  RouteSet routes("http", [](const HttpError& error) {
    return text_response(error.status, error.message + "\n");
  });
  routes.body_limit = 0;  // players send no bodies (as apply_request_limits)
  routes.read_timeout = kRequestTimeout;
  routes.strict_targets = true;
  routes.preflight = [](const RequestContext&) -> boost::asio::awaitable<Response> {
    auto response = text_response(204, "");
    add_cors_preflight(response);
    co_return response;
  };
  routes.add({Verb::get, Verb::head}, kFlvRoute,
             [&context](const RequestContext& request) -> std::shared_ptr<StreamingHandler> {
               return std::make_shared<FlvPlayback>(context, request);
             });
  if (context.config.hls.enabled) {
    routes.add({Verb::get}, kHlsPlaylistRoute, [&context, &hls](const RequestContext& request) {
      return serve_hls_playlist(context, hls, request);
    });
    routes.add({Verb::get}, kHlsSegmentRoute, [&context, &hls](const RequestContext& request) {
      return serve_hls_segment(context, hls, request);
    });
    routes.add({Verb::get}, kLlMediaRoute, [&context, &hls](const RequestContext& request) {
      return serve_ll_media(context, hls, request);
    });
    routes.add({Verb::get}, kLlInitRoute, [&context, &hls](const RequestContext& request) {
      return serve_ll_init(context, hls, request);
    });
  }
  return routes;
}

}  // namespace sluice::http
