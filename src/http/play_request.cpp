#include "http/play_request.hpp"

#include "http/path_pattern.hpp"
#include "http/route_set.hpp"

namespace sluice::http {

void apply_request_limits(RequestParser& parser) {
  parser.header_limit(kRequestHeaderLimit);
  parser.body_limit(0);
}

PlayTarget parse_play_target(std::string_view request_target) {
  PlayTarget result;
  auto target = split_target(request_target, true);
  if (!target) return result;
  result.kind = PlayTarget::Kind::kOther;
  const PathPattern flv(kFlvRoute);
  if (auto params = flv.match(target->path)) {
    result.kind = PlayTarget::Kind::kFlv;
    result.app = params->get("app");
    result.stream = params->get("stream");
    result.query = std::string(target->query);
  }
  return result;
}

std::string host_without_port(std::string_view host) {
  if (!host.empty() && host.front() == '[') return std::string(host.substr(1, host.find(']') - 1));
  return std::string(host.substr(0, host.rfind(':')));
}

media::Resolution resolve_play(const config::Config& config, std::string_view host_header,
                               std::string_view app, std::string_view stream,
                               std::string_view query) {
  media::ConnectTarget target;
  target.app = std::string(app);
  target.host = host_without_port(host_header);
  target.params = media::split_name("?" + std::string(query)).params;
  return media::resolve(target, stream, config);
}

std::vector<std::pair<std::string, std::string>> request_headers(const Request& request) {
  std::vector<std::pair<std::string, std::string>> headers;
  for (const auto& field : request) headers.emplace_back(field.name_string(), field.value());
  return headers;
}

}  // namespace sluice::http
