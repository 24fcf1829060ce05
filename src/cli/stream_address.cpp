#include "cli/stream_address.hpp"

#include <functional>
#include <string_view>
#include <vector>

#include "base/untrusted_text.hpp"
#include "cli/stream_url.hpp"
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

// "demo.flv" → "demo": a file of the stream, named where the stream was meant.
std::optional<std::string> without_file_suffix(const std::string& stream) {
  for (std::string_view suffix : {".flv", ".m3u8"}) {
    if (stream.size() > suffix.size() && stream.ends_with(suffix))
      return stream.substr(0, stream.size() - suffix.size());
  }
  return std::nullopt;
}

void check_names(const StreamAddress& address,
                 const std::function<UsageError(const std::string&)>& bad) {
  if (!media::valid_app_name(address.app))
    throw bad("app must be " + std::string(media::kAppNameRule));
  if (!media::valid_stream_name(address.stream))
    throw bad("stream must be " + std::string(media::kStreamNameRule));
}

StreamAddress from_url(const std::string& text, const std::string& domain) {
  if (!domain.empty())
    throw UsageError("bad stream address \"" + printable(text, kShownArgumentMax) +
                     "\": give either a URL or --domain, not both");
  auto url = parse_stream_url(text);
  StreamAddress address;
  address.domain = url.domain;
  address.app = url.app;
  address.stream = url.stream;
  check_names(address, [&](const std::string& why) {
    return UsageError("bad stream URL \"" + printable(text, kShownArgumentMax) + "\": " + why);
  });
  return address;
}

}  // namespace

std::string StreamAddress::display() const {
  return (domain ? *domain : vhost.value_or(kDefaultVhost)) + "/" + app + "/" + stream;
}

StreamAddress parse_stream_address(const std::string& text, const std::string& domain) {
  if (looks_like_url(text)) return from_url(text, domain);
  auto bad = [&](const std::string& why) {
    return UsageError("bad stream address \"" + printable(text, kShownArgumentMax) + "\": " + why +
                      " (expected [vhost/]app/stream or a stream's URL)");
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
  if (auto meant = without_file_suffix(address.stream)) {
    parts.back() = *meant;
    std::string hint;
    for (const auto& part : parts) hint += (hint.empty() ? "" : "/") + part;
    throw UsageError("bad stream address \"" + printable(text, kShownArgumentMax) +
                     "\": that names a file of a stream, not the stream (did you mean " +
                     printable(hint, kShownArgumentMax) + "?)");
  }
  check_names(address, bad);
  return address;
}

}  // namespace sluice::cli
