#include "metrics/metrics_routes.hpp"

#include <boost/beast/http/field.hpp>

#include "base/coroutine_warnings.hpp"
#include "base/on_executor.hpp"

namespace sluice::metrics {

namespace bhttp = boost::beast::http;
using http::HttpError;
using http::RequestContext;
using http::Response;
using http::Verb;

namespace {

Response text_response(unsigned status, std::string_view content_type, std::string body) {
  Response response{static_cast<bhttp::status>(status), 11};
  response.set(bhttp::field::content_type, content_type);
  response.set(bhttp::field::server, "sluice");
  response.body() = std::move(body);
  return response;
}

}  // namespace

http::RouteSet metrics_routes(MetricsSources sources, const config::MetricsConfig& config) {
  http::RouteSet routes("metrics", [](const HttpError& error) {
    return text_response(
        error.status, "text/plain; charset=utf-8",
        error.status == 404 ? "metrics are served at /metrics\n" : error.message + "\n");
  });
  routes.body_limit = 0;  // GET only
  routes.add({Verb::get}, "/metrics",
             [sources = std::move(sources),
              &config](const RequestContext&) -> boost::asio::awaitable<Response> {
               ScrapeInput input;
               // A named awaitable, never a temporary inside co_await
               // (docs/design.md, threading rule 6).
               auto copying =
                   on(sources.media, [&snapshot = sources.snapshot] { return snapshot(); });
               input.media = co_await std::move(copying);
               input.process = read_process_stats();
               input.api = sources.api;
               if (sources.callbacks) input.callbacks = sources.callbacks();
               input.store = sources.store;
               input.max_stream_labels = config.max_stream_labels;
               co_return text_response(200, kContentType, render(input));
             });
  return routes;
}

}  // namespace sluice::metrics
