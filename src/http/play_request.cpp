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
    result.query = std::move(target->query);
  }
  return result;
}

std::string host_without_port(std::string_view host) {
  if (!host.empty() && host.front() == '[') return std::string(host.substr(1, host.find(']') - 1));
  return std::string(host.substr(0, host.rfind(':')));
}

}  // namespace sluice::http
