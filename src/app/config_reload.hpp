#pragma once
// SIGHUP: the config file read again and its reloadable part (vhosts and
// domains, API keys, log level; config/reload.hpp) put in force without
// dropping a session. The running server keeps one Config per executor
// (docs/design.md, "Reloading the config"): the control side's copy is
// updated here, on the control thread; the media side's by a handler posted
// to the media executor. No Config is ever written while another thread
// reads it.
#include <boost/asio/any_io_executor.hpp>
#include <functional>
#include <string>

#include "api/key_store.hpp"
#include "config/config.hpp"

namespace sluice {

class ConfigReloader {
 public:
  // `control_side` and `keys` belong to the control executor, `media_side`
  // to `media`.
  ConfigReloader(std::function<config::Config()> reread, std::string source,
                 config::Config& control_side, api::KeyStore& keys, config::Config& media_side,
                 boost::asio::any_io_executor media);

  // On the control thread. An invalid file is refused with one log line and
  // changes nothing; settings that need a restart are logged and not applied.
  void reload();

 private:
  std::function<config::Config()> reread_;
  std::string source_;
  config::Config& control_side_;
  api::KeyStore& keys_;
  config::Config& media_side_;
  boost::asio::any_io_executor media_;
};

}  // namespace sluice
