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

std::string query_without(std::string_view query, std::string_view name) {
  std::string out;
  while (!query.empty()) {
    const auto amp = query.find('&');
    const auto part = query.substr(0, amp);
    if (!part.empty() && part.substr(0, part.find('=')) != name) {
      if (!out.empty()) out += '&';
      out += part;
    }
    if (amp == std::string_view::npos) break;
    query.remove_prefix(amp + 1);
  }
  return out;
}

std::string session_param(std::string_view query) {
  auto params = media::split_name("?" + std::string(query)).params;
  auto it = params.find(std::string(kSessionParam));
  return it == params.end() ? std::string() : it->second;
}

media::Resolution resolve_hls(ServerContext& context, const RequestContext& r,
                              std::string_view stream) {
  return resolve_play(context.config, r.request[bhttp::field::host], r.params.get("app"), stream,
                      r.query);
}

std::string requested_flavour(const config::Config& config, std::string_view vhost,
                              std::string_view query) {
  auto params = media::split_name("?" + std::string(query)).params;
  auto it = params.find("hls");
  if (it == params.end()) return config.hls_flavour_of(vhost);
  return it->second == "ts" || it->second == "ll" ? it->second : std::string();
}

std::string playlist_base_name(std::string_view target) {
  target = target.substr(0, target.find('?'));
  target = target.substr(target.rfind('/') + 1);
  return std::string(target.substr(0, target.rfind('.')));
}

}  // namespace sluice::http
