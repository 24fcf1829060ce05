#include "app/config_reload.hpp"

#include <spdlog/spdlog.h>

#include <boost/asio/post.hpp>

#include "config/reload.hpp"

namespace sluice {

ConfigReloader::ConfigReloader(std::function<config::Config()> reread, std::string source,
                               config::Config& control_side, api::KeyStore& keys,
                               config::Config& media_side, boost::asio::any_io_executor media)
    : reread_(std::move(reread)),
      source_(std::move(source)),
      control_side_(control_side),
      keys_(keys),
      media_side_(media_side),
      media_(std::move(media)) {}

void ConfigReloader::reload() {
  if (!reread_) {
    spdlog::warn("SIGHUP: sluice was started without --config; there is nothing to reload");
    return;
  }
  config::Config next;
  std::optional<api::LoadedKeys> keys;
  // Everything that can fail comes first, so a refused reload changes nothing.
  config::Config candidate = control_side_;
  try {
    next = reread_();
    config::apply_reloadable(candidate, next);
    keys.emplace(api::load_or_generate_keys(candidate));
  } catch (const config::ConfigError& e) {
    // Parse errors already start with the file's name; a bad value names its key only.
    const bool names_file = e.key() == source_;
    spdlog::error("config reload refused, the running config is kept: {}{}",
                  names_file ? "" : source_ + ": ", e.what());
    return;
  } catch (const std::exception& e) {
    spdlog::error("config reload refused, the running config is kept: {}", e.what());
    return;
  }
  for (const auto& change : config::changes_needing_restart(control_side_, next)) {
    spdlog::warn("config reload: {} changed; needs a restart, not applied", change);
  }
  config::apply_reloadable(control_side_, next);
  keys_ = std::move(keys->store);
  spdlog::set_level(spdlog::level::from_str(candidate.log_level));
  const std::string summary = std::to_string(candidate.vhosts.size()) + " vhosts, " +
                              std::to_string(keys_.keys().size()) + " api keys" +
                              (keys->file.empty() ? "" : " (from " + keys->file.string() + ")") +
                              ", log level " + candidate.log_level;
  // The media side's copy is changed on the media thread, between two of
  // its handlers; the line is logged once both sides run with the new one.
  boost::asio::post(media_,
                    [&media_side = media_side_, candidate, summary, source = source_]() mutable {
                      config::apply_reloadable(media_side, candidate);
                      spdlog::info("config reloaded from {}: {}", source, summary);
                    });
}

}  // namespace sluice
