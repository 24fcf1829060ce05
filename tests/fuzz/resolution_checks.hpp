#pragma once
// What the two name-resolving targets (fuzz_rtmp_names, fuzz_http_play)
// share: the config they resolve through and the properties every
// resolution must have.
#include <string>

#include "config/config.hpp"
#include "media/stream_name.hpp"

namespace sluice::fuzz {

// One vhost with a push and a play domain, so the domain map is exercised.
inline const config::Config& config_with_one_vhost() {
  static const config::Config config = [] {
    config::Config c;
    config::VhostConfig v1;
    v1.name = "v1";
    v1.push_domains = {"push.example.com"};
    v1.play_domains = {"play.example.com"};
    c.vhosts.push_back(v1);
    return c;
  }();
  return config;
}

// An accepted name obeys the naming rules; a refusal is logged and sent back,
// so it is one short line whatever the client sent.
inline void check_resolution(const media::Resolution& resolution) {
  const auto& resolved = resolution.stream;
  if (resolved && (!media::valid_app_name(resolved->key.app) ||
                   !media::valid_stream_name(resolved->key.stream)))
    __builtin_trap();
  if (!resolved && (resolution.refusal.size() > 512 ||
                    resolution.refusal.find_first_of("\r\n") != std::string::npos))
    __builtin_trap();
}

}  // namespace sluice::fuzz
