#include "cli/stream_address.hpp"

#include <vector>

#include "cli/usage_error.hpp"

namespace sluice::cli {
namespace {

bool valid_name(const std::string& name, size_t max_length) {
  if (name.empty() || name.size() > max_length) return false;
  for (char c : name) {
    bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
              c == '_' || c == '-' || c == '.';
    if (!ok) return false;
  }
  return true;
}

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
  if (!valid_name(address.app, 30)) throw bad("app must be 1-30 of A-Z a-z 0-9 _ - .");
  if (!valid_name(address.stream, 100)) throw bad("stream must be 1-100 of A-Z a-z 0-9 _ - .");
  return address;
}

}  // namespace sluice::cli
