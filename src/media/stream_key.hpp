#pragma once
// A stream's identity: Volcengine-style vhost (domain space), app and stream name.
#include <compare>
#include <functional>
#include <string>

namespace sluice::media {

struct StreamKey {
  std::string vhost;
  std::string app;
  std::string stream;

  auto operator<=>(const StreamKey&) const = default;
  std::string to_string() const { return vhost + "/" + app + "/" + stream; }
};

struct StreamKeyHash {
  size_t operator()(const StreamKey& k) const {
    std::hash<std::string> h;
    return h(k.vhost) ^ (h(k.app) * 31) ^ (h(k.stream) * 1000003);
  }
};

}  // namespace sluice::media
