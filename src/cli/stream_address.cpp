#include "cli/stream_address.hpp"

#include <vector>

#include "cli/usage_error.hpp"
#include "media/stream_name.hpp"

namespace sluice::cli {
namespace {

std::vector<std::string> split(const std::string& text, char sep) {
  std::vector<std::string> parts;
  size_t start = 0;
  while (true) {
    auto pos = text.find(sep, start);
    parts.push_back(text.substr(start, pos - start));
    if (pos == std::string::npos) return parts;
    start = pos + 1;
  }
}

}  // namespace

std::string StreamAddress::display() const {
  return (domain ? *domain : vhost.value_or(kDefaultVhost)) + "/" + app + "/" + stream;
}

StreamAddress parse_stream_address(const std::string& text, const std::string& domain) {
  auto bad = [&](const std::string& why) {
    return UsageError("bad stream address \"" + text + "\": " + why +
                      " (expected [vhost/]app/stream)");
  };
  auto parts = split(text, '/');
  if (parts.size() < 2 || parts.size() > 3) throw bad("wrong number of parts");
  StreamAddress address;
  if (parts.size() == 3) {
    if (parts[0].empty() || parts[0].size() > 253) throw bad("empty or overlong vhost");
    if (!domain.empty()) throw bad("give either a vhost part or --domain, not both");
    address.vhost = parts[0];
  } else if (!domain.empty()) {
    address.domain = domain;
  } else {
    address.vhost = kDefaultVhost;
  }
  address.app = parts[parts.size() - 2];
  address.stream = parts.back();
  if (!media::valid_app_name(address.app))
    throw bad("app must be " + std::string(media::kAppNameRule));
  if (!media::valid_stream_name(address.stream))
    throw bad("stream must be " + std::string(media::kStreamNameRule));
  return address;
}

}  // namespace sluice::cli
