#include "hooks/http_post.hpp"

#include <boost/url/parse.hpp>

namespace sluice::hooks {

std::optional<std::string> unusable_url(const std::string& url) {
  auto parsed = boost::urls::parse_absolute_uri(url);
  if (!parsed) return "not an absolute URL";
  if (parsed->scheme() != "http") return "only http:// URLs are supported";
  if (parsed->encoded_host().empty()) return "no host";
  if (parsed->has_port() && (parsed->port_number() == 0)) return "bad port";
  return std::nullopt;
}

}  // namespace sluice::hooks
