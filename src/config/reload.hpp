#pragma once
// What a reload (SIGHUP) may change in a running server, and what it may not.
// Reloadable: the vhosts (domains, push and play keys, hook URLs, callback URLs
// and key), [push_auth], [hooks], [callbacks], the default vhost, the API keys
// and the log level; everything else (listen addresses, the data directory,
// limits, timeouts, cache sizes) is read once at start and needs a restart.
#include <string>
#include <vector>

#include "config/config.hpp"

namespace sluice::config {

// Copies the reloadable settings of `next` into `running`, leaving the rest.
void apply_reloadable(Config& running, const Config& next);

// One entry per setting that differs but needs a restart, e.g.
// "rtmp.listen (0.0.0.0:1935 -> 127.0.0.1:1936)" or "[media]".
std::vector<std::string> changes_needing_restart(const Config& running, const Config& next);

}  // namespace sluice::config
