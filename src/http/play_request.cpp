#include "http/play_request.hpp"

#include <boost/url/parse.hpp>

namespace sluice::http {

void apply_request_limits(RequestParser& parser) {
  parser.header_limit(kRequestHeaderLimit);
}

PlayTarget parse_play_target(std::string_view request_target) {
  PlayTarget result;
  auto target = boost::urls::parse_origin_form(request_target);
  if (!target) return result;
  result.kind = PlayTarget::Kind::kOther;
  std::string path = target->path();
  auto slash = path.find('/', 1);
  if (path.size() > 5 && path.ends_with(".flv") && slash != std::string::npos) {
    result.kind = PlayTarget::Kind::kFlv;
    result.app = path.substr(1, slash - 1);
    result.stream = path.substr(slash + 1, path.size() - slash - 1 - 4);
    result.query = target->encoded_query();
  }
  return result;
}

std::string host_without_port(std::string_view host) {
  if (!host.empty() && host.front() == '[') return std::string(host.substr(1, host.find(']') - 1));
  return std::string(host.substr(0, host.rfind(':')));
}

}  // namespace sluice::http
