#pragma once
#include <functional>
#include <string>

#include "config/config.hpp"

namespace sluice {

// What `sluice serve` needs from its command line besides the config.
struct ServeOptions {
  // Reads the config file again with the command line's overrides (SIGHUP);
  // throws config::ConfigError. Empty when there is no --config file.
  std::function<config::Config()> reread_config;
  std::string config_file;
  // Reopens the log file (SIGUSR1); returns why it failed, or "". Empty
  // when the log goes to stderr.
  std::function<std::string()> reopen_log;
  bool quiet = false;  // no start-up banner
};

// `sluice serve`: runs the media servers until SIGINT/SIGTERM; returns the exit code.
int serve(const config::Config& config, const ServeOptions& options);

}  // namespace sluice
