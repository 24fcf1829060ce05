#include "http/hls_common.hpp"

#include <boost/beast/http/field.hpp>

#include "http/cors.hpp"
#include "http/play_request.hpp"

namespace sluice::http {

namespace bhttp = boost::beast::http;

Response hls_response(unsigned status, std::string_view content_type, std::string body) {
  Response r{static_cast<bhttp::status>(status), 11};
  r.set(bhttp::field::content_type, content_type);
  add_cors(r);
  r.body() = std::move(body);
  r.prepare_payload();
  return r;
}

Response hls_text(unsigned status, std::string message) {
  auto r = hls_response(status, "text/plain", std::move(message) + "\n");
  r.set(bhttp::field::cache_control, "no-cache");
  return r;
}

std::string_view session_param(const QueryLookup& query) {
  return query.get(kSessionParam).value_or(std::string_view());
}

media::Resolution resolve_hls(ServerContext& context, const RequestContext& r,
                              std::string_view stream) {
  return resolve_play(context.config, r.request[bhttp::field::host], r.params.get("app"), stream,
                      r.query);
}

Response no_session(ServerContext& context, const RequestContext& r, std::string_view stream) {
  auto resolution = resolve_hls(context, r, stream);
  if (!resolution.stream) return hls_text(400, resolution.refusal);
  return hls_text(403, "no HLS session: open the stream's playlist (.m3u8) first");
}

std::string requested_flavour(const config::Config& config, std::string_view vhost,
                              const QueryLookup& query) {
  const auto asked = query.get("hls");
  if (!asked) return config.hls_flavour_of(vhost);
  return *asked == "ts" || *asked == "ll" ? std::string(*asked) : std::string();
}

std::string playlist_base_name(std::string_view target) {
  target = target.substr(0, target.find('?'));
  target = target.substr(target.rfind('/') + 1);
  return std::string(target.substr(0, target.rfind('.')));
}

}  // namespace sluice::http
