#include "console/console_routes.hpp"

#include <algorithm>
#include <array>
#include <boost/beast/http/field.hpp>
#include <boost/beast/http/status.hpp>
#include <cctype>
#include <utility>

#include "base/rfc3339.hpp"
#include "console/console_assets.hpp"
#include "http/host_header.hpp"

namespace sluice::console {

namespace bhttp = boost::beast::http;
using http::RequestContext;
using http::Response;
using http::Verb;

namespace {

bool ends_with(std::string_view text, std::string_view suffix) {
  return text.size() >= suffix.size() && text.substr(text.size() - suffix.size()) == suffix;
}

// Letters, digits, '-' and '_' only: safe in JSON and in a policy as is.
bool is_plain_name(std::string_view text) {
  if (text.empty()) return false;
  for (char c : text)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_')) return false;
  return true;
}

Response base_response(bhttp::status status, const RequestContext& context, uint16_t media_port) {
  Response response{status, 11};
  response.set(bhttp::field::server, "sluice");
  response.set("Content-Security-Policy",
               content_security_policy(context.request[bhttp::field::host], media_port));
  response.set("X-Content-Type-Options", "nosniff");
  response.set(bhttp::field::x_frame_options, "DENY");
  response.set("Referrer-Policy", "no-referrer");
  return response;
}

Response not_found(const RequestContext& context, uint16_t media_port) {
  auto response = base_response(bhttp::status::not_found, context, media_port);
  response.set(bhttp::field::content_type, "text/plain; charset=utf-8");
  response.set(bhttp::field::cache_control, "no-store");
  response.body() = "no such console file\n";
  return response;
}

Response asset_response(const EmbeddedAsset& asset, const RequestContext& context,
                        uint16_t media_port) {
  // Names are not versioned, so the browser asks again each time and gets
  // a 304 while the binary is the same one.
  const bool unchanged = context.request[bhttp::field::if_none_match] == asset.etag;
  auto response = base_response(unchanged ? bhttp::status::not_modified : bhttp::status::ok,
                                context, media_port);
  response.set(bhttp::field::content_type, content_type_for(asset.name));
  response.set(bhttp::field::cache_control, "no-cache");
  response.set(bhttp::field::etag, asset.etag);
  if (!unchanged) response.body() = std::string(asset.body);
  return response;
}

}  // namespace

std::string_view content_type_for(std::string_view name) {
  static constexpr std::array<std::pair<std::string_view, std::string_view>, 8> kTypes{{
      {".html", "text/html; charset=utf-8"},
      {".js", "text/javascript; charset=utf-8"},
      {".mjs", "text/javascript; charset=utf-8"},
      {".css", "text/css; charset=utf-8"},
      {".json", "application/json; charset=utf-8"},
      {".svg", "image/svg+xml"},
      {".png", "image/png"},
      {".txt", "text/plain; charset=utf-8"},
  }};
  for (const auto& [extension, type] : kTypes)
    if (ends_with(name, extension)) return type;
  return "application/octet-stream";
}

std::string content_security_policy(std::string_view host_header, uint16_t media_port) {
  std::string connect = "'self'";
  if (const auto name = http::host_name(host_header); !name.empty() && media_port != 0)
    connect += " http://" + std::string(name) + ":" + std::to_string(media_port);
  return "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
         "connect-src " +
         connect +
         "; media-src 'self' blob:; worker-src 'self' blob:; object-src 'none'; "
         "base-uri 'none'; form-action 'self'; frame-ancestors 'none'";
}

void add_console_routes(http::RouteSet& routes, ConsoleSettings settings) {
  const uint16_t media_port = settings.media_port;
  routes.add({Verb::get, Verb::head}, "/console",
             [media_port](const RequestContext& context) -> boost::asio::awaitable<Response> {
               auto response = base_response(bhttp::status::moved_permanently, context, media_port);
               response.set(bhttp::field::location, "/console/");
               co_return response;
             });
  // Only what a client learns anyway: the ports it plays from, and the
  // region every API answer carries in ResponseMetadata.
  std::string server_json = R"({"version":")" SLUICE_VERSION R"(","media_port":)" +
                            std::to_string(settings.media_port) + R"(,"rtmp_port":)" +
                            std::to_string(settings.rtmp_port) + R"(,"hls":)" +
                            (settings.hls ? "true" : "false");
  if (is_plain_name(settings.region)) server_json += R"(,"region":")" + settings.region + "\"";
  server_json += R"(,"started":")" +
                 format_rfc3339_s(std::chrono::floor<std::chrono::milliseconds>(settings.started)) +
                 "\"";
  const auto started = settings.started;
  routes.add({Verb::get, Verb::head}, "/console/server.json",
             [media_port, server_json,
              started](const RequestContext& context) -> boost::asio::awaitable<Response> {
               auto response = base_response(bhttp::status::ok, context, media_port);
               response.set(bhttp::field::content_type, "application/json; charset=utf-8");
               response.set(bhttp::field::cache_control, "no-store");
               const auto uptime = std::chrono::floor<std::chrono::seconds>(
                   std::chrono::system_clock::now() - started);
               response.body() = server_json + R"(,"uptime_s":)" +
                                 std::to_string(std::max<int64_t>(0, uptime.count())) + "}";
               co_return response;
             });
  routes.add({Verb::get, Verb::head}, "/console/{file*}",
             [media_port](const RequestContext& context) -> boost::asio::awaitable<Response> {
               auto name = context.params.get("file");
               if (name.empty()) name = "index.html";
               const auto* asset = find_asset(name);
               co_return asset ? asset_response(*asset, context, media_port)
                               : not_found(context, media_port);
             });
}

}  // namespace sluice::console
