#include "config/reload.hpp"

namespace sluice::config {

void apply_reloadable(Config& running, const Config& next) {
  running.vhosts = next.vhosts;
  running.default_vhost = next.default_vhost;
  running.push_auth = next.push_auth;
  running.hooks = next.hooks;
  // Read at each callback try (hooks/callback_delivery.cpp).
  running.callbacks = next.callbacks;
  running.api.keys = next.api.keys;
  running.log_level = next.log_level;
}

std::vector<std::string> changes_needing_restart(const Config& running, const Config& next) {
  std::vector<std::string> changes;
  auto listen = [&](const char* key, const Endpoint& was, const Endpoint& now) {
    if (was != now)
      changes.push_back(std::string(key) + " (" + was.to_string() + " -> " + now.to_string() + ")");
  };
  listen("rtmp.listen", running.rtmp.listen, next.rtmp.listen);
  listen("http.listen", running.http.listen, next.http.listen);
  listen("api.listen", running.api.listen, next.api.listen);
  if (running.data_dir != next.data_dir) {
    changes.push_back("data_dir (" + running.data_dir.string() + " -> " + next.data_dir.string() +
                      ")");
  }
  // Whole sections beyond the listen address: their values are copied into
  // sessions, streams and caches at start.
  auto without_listen = [](auto section) {
    section.listen = {};
    return section;
  };
  if (without_listen(running.rtmp) != without_listen(next.rtmp)) changes.push_back("[rtmp]");
  if (running.media != next.media) changes.push_back("[media]");
  auto api_rest = [&](ApiConfig api) {
    api.listen = {};
    api.keys.clear();
    return api;
  };
  if (api_rest(running.api) != api_rest(next.api)) changes.push_back("[api]");
  if (running.limits != next.limits) changes.push_back("[limits]");
  if (running.metrics != next.metrics) changes.push_back("[metrics]");
  return changes;
}

}  // namespace sluice::config
